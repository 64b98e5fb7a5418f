using System.CommandLine;
using System.Reflection;
using Stoa.Mentions;

namespace Stoa.Server.Cli;

/// <summary>The administrative commands of the <c>stoa</c> executable. Without a command it serves.</summary>
internal static class StoaCli
{
    /// <summary>Exit code of a command line that could not be understood, as for an invalid setting.</summary>
    public const int UsageError = 2;

    private static readonly HashSet<string> s_helpAndVersion = new(StringComparer.Ordinal) { "--help", "-h", "-?", "--version" };

    /// <summary>
    /// Whether the arguments are a command (known or misspelt) rather than the server's settings. Settings look like
    /// <c>--Stoa:Store=…</c>, <c>/Stoa:Store=…</c> or <c>Stoa:Store=…</c>; any other first word is a command, so that
    /// <c>stoa migarte</c> is refused with the usage instead of starting a server.
    /// </summary>
    public static bool IsCommand(string firstArgument) =>
        s_helpAndVersion.Contains(firstArgument)
        || !(firstArgument.StartsWith('-') || firstArgument.StartsWith('/') || firstArgument.Contains('=', StringComparison.Ordinal));

    public static string Version { get; } =
        typeof(StoaCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(StoaCli).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Stoa: self-hosted realtime and social backend services. Without a command, serves.");
        root.SetAction(async (parse, cancellationToken) => await ServerRun.RunAsync([]));
        root.Add(ServeCommand());
        root.Add(MigrateCommand.Create());
        root.Add(AppsCommand.Create());
        root.Add(TokenCommand.Create());
        root.Add(FollowsCommand.Create());
        root.Add(MentionsCommand.Create());
        root.Add(PreviewsCommand.Create());
        root.Add(SeedCommand.Create());
        root.Add(VersionCommand());
        root.Add(HelpCommand(root));
        var parse = root.Parse(args);
        var exitCode = await parse.InvokeAsync();
        // The parser prints the error, a suggestion for a misspelt command and the usage, and answers 1: a command
        // line it cannot understand is a usage error like an invalid setting, so it exits like one.
        return parse.Errors.Count > 0 ? UsageError : exitCode;
    }

    private static Command ServeCommand()
    {
        var command = new Command("serve", "Run the server (the default).");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) => await ServerRun.RunAsync([.. parse.UnmatchedTokens]));
        return command;
    }

    private static Command VersionCommand()
    {
        var command = new Command("version", "Print the version and exit.");
        command.SetAction(parse => parse.InvocationConfiguration.Output.WriteLine($"stoa {Version}"));
        return command;
    }

    /// <summary><c>stoa help [command…]</c>: the same usage as <c>--help</c>, for people who type the word.</summary>
    private static Command HelpCommand(RootCommand root)
    {
        var path = new Argument<string[]>("command") { Description = "The command to describe.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "Print the usage of stoa or of a command.") { path };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var help = root.Parse([.. parse.GetValue(path) ?? [], "--help"]);
            var exitCode = await help.InvokeAsync(parse.InvocationConfiguration, cancellationToken);
            return help.Errors.Count > 0 ? UsageError : exitCode;
        });
        return command;
    }
}
