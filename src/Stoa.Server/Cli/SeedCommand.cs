using System.CommandLine;
using Stoa.Comments;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Sql;

namespace Stoa.Server.Cli;

/// <summary>
/// <c>stoa seed comments [--comments 1000000] [--threads 2000] [--big-thread 200000] [--app KEY] [--seed 42]</c>:
/// realistic benchmark data, written by the comments module (<see cref="CommentsModule.SeedAsync"/>) for an app
/// this command creates or finds.
/// </summary>
internal static class SeedCommand
{
    public static Command Create()
    {
        var seed = new Command("seed", "Generate benchmark data.");
        seed.Add(CommentsCommand());
        return seed;
    }

    private static Command CommentsCommand()
    {
        var comments = new Option<int>("--comments") { Description = "Comments in total.", DefaultValueFactory = _ => 1_000_000 };
        var threads = new Option<int>("--threads") { Description = "Ordinary threads sharing what the big thread leaves.", DefaultValueFactory = _ => 2000 };
        var bigThread = new Option<int>("--big-thread") { Description = "Comments in the big thread (id seed-big).", DefaultValueFactory = _ => 200_000 };
        var app = new Option<string?>("--app") { Description = "The app's API key (default: a new app named seed)." };
        var randomSeed = new Option<int>("--seed") { Description = "Random seed, for repeatable data.", DefaultValueFactory = _ => 42 };
        var command = new Command("comments", "Insert comments in batched multi-row INSERTs.") { comments, threads, bigThread, app, randomSeed };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => CliStore.RunAsync([.. parse.UnmatchedTokens], async services =>
        {
            var total = parse.GetValue(comments);
            var big = Math.Min(parse.GetValue(bigThread), total);
            var others = parse.GetValue(threads);
            if (total <= 0 || big < 0 || others < 0 || (total > big && others == 0))
            {
                await Console.Error.WriteLineAsync("--comments must be positive, and --threads too when comments remain beyond --big-thread.");
                return 2;
            }

            await services.GetRequiredService<Migrator>().MigrateAsync(ct);
            var apps = services.GetRequiredService<AppStore>();
            var key = parse.GetValue(app);
            var target = key is null ? await apps.CreateAsync("seed", ct) : await apps.FindByApiKeyAsync(key, ct);
            if (target is null)
            {
                await Console.Error.WriteLineAsync("No app has that API key.");
                return 1;
            }

            Console.WriteLine($"app {target.Name}: apiKey {target.ApiKey} secret {target.Secret}");
            await CommentsModule.SeedAsync(services, target.Id, total, big, others, parse.GetValue(randomSeed), Console.Out, ct);
            return 0;
        }));
        return command;
    }
}
