using Stoa.Foundation.Hosting;
using Stoa.Foundation.Sql;

namespace Stoa.Server.Cli;

/// <summary>The services a CLI command needs, built from the same settings the server reads.</summary>
internal static class CliStore
{
    public static ServiceProvider BuildServices(string[] args)
    {
        var configuration = AppSettings.ForCli(args);
        var options = configuration.ReadStoaOptions(ModuleCatalog.Names);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
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
            return await body(services);
        }
        catch (InvalidConfigurationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    }
}
