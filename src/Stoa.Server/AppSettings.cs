namespace Stoa.Server;

/// <summary>
/// Makes appsettings.json next to the executable the lowest-priority source, so that `dotnet run --project` from the
/// repository root, the published image and the CLI commands all read the same defaults, while the content root's
/// own appsettings files, environment variables (Stoa__Store…) and command-line arguments still override them.
/// </summary>
internal static class AppSettings
{
    public static void AddDefaults(ConfigurationManager configuration, IHostEnvironment environment)
    {
        var baseDirectory = AppContext.BaseDirectory;
        if (Path.GetFullPath(environment.ContentRootPath).TrimEnd('/') == Path.GetFullPath(baseDirectory).TrimEnd('/'))
        {
            return;
        }

        var sources = (IList<IConfigurationSource>)configuration.Sources;
        var files = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(baseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(baseDirectory, $"appsettings.{environment.EnvironmentName}.json"), optional: true, reloadOnChange: false);
        for (var i = files.Sources.Count - 1; i >= 0; i--)
        {
            sources.Insert(0, files.Sources[i]);
        }
    }

    /// <summary>The configuration the CLI commands use: the same files and environment as the server.</summary>
    public static IConfiguration ForCli(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }
}
