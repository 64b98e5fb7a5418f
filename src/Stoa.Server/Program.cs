using Stoa.Foundation.Hosting;
using Stoa.Server;
using Stoa.Server.Cli;

// `stoa` serves by default; `stoa migrate|apps|token…` run one administrative command and exit.
if (args.Length > 0 && StoaCli.IsCommand(args[0]))
{
    return await StoaCli.RunAsync(args);
}

WebApplication app;
try
{
    app = StoaApp.Build(args);
}
catch (InvalidConfigurationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
