using System.CommandLine;
using Stoa.Follows;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Sql;

namespace Stoa.Server.Cli;

/// <summary><c>stoa follows rebuild [--app KEY]</c>: restores the engine's follower lists from the store.</summary>
internal static class FollowsCommand
{
    public static Command Create()
    {
        var follows = new Command("follows", "Maintain the follows module.");
        var app = new Option<string?>("--app") { Description = "Only this app's lists (its API key); default: every app." };
        var rebuild = new Command("rebuild", "Restore the follower and following lists in the engine (Redis) from the store.") { app };
        rebuild.TreatUnmatchedTokensAsErrors = false;
        rebuild.SetAction((parse, ct) => CliStore.RunAsync([.. parse.UnmatchedTokens], async services =>
        {
            await services.GetRequiredService<Migrator>().MigrateAsync(ct);
            Guid? appId = null;
            if (parse.GetValue(app) is { } key)
            {
                var found = await services.GetRequiredService<AppStore>().FindByApiKeyAsync(key, ct);
                if (found is null)
                {
                    await Console.Error.WriteLineAsync("No app has that API key.");
                    return 1;
                }

                appId = found.Id;
            }

            var applied = await FollowsModule.RebuildAsync(services, appId, ct);
            Console.WriteLine($"{applied} follow(s) restored.");
            return 0;
        }));
        follows.Add(rebuild);
        return follows;
    }
}
