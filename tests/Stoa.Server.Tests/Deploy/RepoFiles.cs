namespace Stoa.Server.Tests.Deploy;

/// <summary>Files of the repository the deployment tests read (deploy/, docs/), found from the test binaries upwards.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Stoa.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Stoa.sln above {AppContext.BaseDirectory}: the deployment tests read the repository's files.");
    }
}
