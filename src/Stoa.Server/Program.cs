using Stoa.Server;
using Stoa.Server.Cli;

// `stoa` serves by default; `stoa migrate|apps|token…` run one administrative command and exit.
if (args.Length > 0 && StoaCli.IsCommand(args[0]))
{
    return await StoaCli.RunAsync(args);
}

return await ServerRun.RunAsync(args);

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
