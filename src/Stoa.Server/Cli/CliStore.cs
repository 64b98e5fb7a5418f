using Stoa.Foundation.Hosting;
using Stoa.Foundation.Sql;

namespace Stoa.Server.Cli;

/// <summary>The services a CLI command needs, built from the same settings the server reads.</summary>
internal static class CliStore
{
    public static ServiceProvider BuildServices(string[] args)
    {
        var configuration = AppSettings.ForCli(args);
        configuration.CheckSettings(ModuleCatalog.Settings);
        var options = configuration.ReadStoaOptions(ModuleCatalog.Names);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddSingleton(options);
        // On stderr: stdout carries what a command prints for scripts (a token, --json credentials).
        services.AddLogging(logging => logging
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning));
        services.AddStoaStore(StoreSettings.Parse(options.StoreUrl));
        services.AddStoaEngine(options);
        foreach (var module in ModuleCatalog.Select(options.Modules))
        {
            module.AddServices(services, configuration);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>Runs a command body, turning configuration errors into exit code 2 with the message on stderr.</summary>
    public static async Task<int> RunAsync(string[] args, Func<IServiceProvider, Task<int>> body)
    {
        try
        {
            await using var services = BuildServices(args);
            await services.WaitForStoreAsync(services.GetRequiredService<StoaOptions>(), CancellationToken.None);
            return await body(services);
        }
        catch (Exception ex) when (StartupFailures.Describe(ex) is { } line)
        {
            // A bad setting, or a store or Redis that does not answer: one line naming the setting.
            await Console.Error.WriteLineAsync(line);
            return 2;
        }
    }
}
