namespace Stoa.Testing;

/// <summary>
/// Finds the server binaries the tests run for real. A missing binary is a failure with an install hint,
/// never a silent skip: a suite that quietly skips its Redis tests proves nothing.
/// </summary>
public static class ExternalTools
{
    public static string Find(string name, string aptPackage, params string[] extraDirectories)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in extraDirectories.Concat(path.Split(':', StringSplitOptions.RemoveEmptyEntries)))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{name}' was not found. Install it with: apt-get install -y {aptPackage} (scripts/test does this when run as root).");
    }

    public static string PostgresBin(string tool)
    {
        var dirs = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")).ToArray()
            : [];
        return Find(tool, "postgresql", dirs);
    }

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a tool to its end; returns its exit code and what it wrote (stderr, then stdout).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stderr + await stdout);
    }
}
