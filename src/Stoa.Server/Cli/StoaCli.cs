using System.CommandLine;
using Stoa.Mentions;

namespace Stoa.Server.Cli;

/// <summary>The administrative commands of the <c>stoa</c> executable. Without a command it serves.</summary>
internal static class StoaCli
{
    private static readonly HashSet<string> s_commands = new(StringComparer.Ordinal)
    {
        "serve", "migrate", "apps", "token", "follows", "mentions", "seed", "--help", "-h", "-?", "--version",
    };

    public static bool IsCommand(string firstArgument) => s_commands.Contains(firstArgument);

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Stoa: self-hosted realtime and social backend services. Without a command, serves.");
        root.Add(ServeCommand());
        root.Add(MigrateCommand.Create());
        root.Add(AppsCommand.Create());
        root.Add(TokenCommand.Create());
        root.Add(FollowsCommand.Create());
        root.Add(MentionsCommand.Create());
        root.Add(SeedCommand.Create());
        return await root.Parse(args).InvokeAsync();
    }

    private static Command ServeCommand()
    {
        var command = new Command("serve", "Run the server (the default).");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = StoaApp.Build([.. parse.UnmatchedTokens]);
            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
