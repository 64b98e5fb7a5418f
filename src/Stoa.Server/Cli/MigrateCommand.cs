using System.CommandLine;
using Stoa.Foundation.Sql;

namespace Stoa.Server.Cli;

/// <summary><c>stoa migrate</c>: applies pending schema migrations and exits, without serving.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply pending schema migrations of every selected module, then exit.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) => await CliStore.RunAsync([.. parse.UnmatchedTokens], async services =>
        {
            var database = services.GetRequiredService<StoaDatabase>();
            var applied = await services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
            Console.WriteLine($"{applied} migration(s) applied to {database.Settings.Description}.");
            return 0;
        }));
        return command;
    }
}
