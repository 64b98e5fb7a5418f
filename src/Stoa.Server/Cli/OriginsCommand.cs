using System.CommandLine;
using Stoa.Foundation.Auth;

namespace Stoa.Server.Cli;

/// <summary>
/// <c>stoa apps origins list|set|add|remove API-KEY [ORIGIN…]</c>: which web origins may use an app's key (browsers
/// on other origins are refused with 403 origin_not_allowed). Running nodes see a change within 10 s.
/// </summary>
internal static class OriginsCommand
{
    public static Command Create()
    {
        var origins = new Command("origins", "Show or change the web origins whose pages may use an app's key (https://app.example.com, http://localhost:*, *).");
        origins.Add(Change("list", "Print the app's allowed origins, one per line.", (current, _) => current));
        origins.Add(Change("set", "Replace the allowed origins (none given: no browser page may use the key).", (_, given) => given));
        origins.Add(Change("add", "Allow more origins.", (current, given) => [.. current, .. given]));
        origins.Add(Change("remove", "Stop allowing origins.", (current, given) => [.. current.Where(o => !given.Contains(o, StringComparer.Ordinal))]));
        return origins;
    }

    /// <summary>One subcommand: reads the app's origins, computes the new list from them and the given ones, saves it if it changed.</summary>
    private static Command Change(string name, string description, Func<IReadOnlyList<string>, IReadOnlyList<string>, IReadOnlyList<string>> update)
    {
        var key = new Argument<string>("api-key") { Description = "The app's API key." };
        var given = new Argument<string[]>("origins") { Description = "Origins: scheme://host[:port], scheme://host:* or *.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(name, description) { key };
        if (name != "list")
        {
            command.Add(given);
        }

        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => CliStore.RunAsync([.. parse.UnmatchedTokens], async services =>
        {
            var store = services.GetRequiredService<AppStore>();
            var app = await store.FindByApiKeyAsync(parse.GetValue(key)!, ct);
            if (app is null)
            {
                await Console.Error.WriteLineAsync("No app has that API key.");
                return 1;
            }

            // The given origins are normalised first, so that `remove` matches however they were typed.
            if (!AppOrigins.TryCreate(parse.GetValue(given) ?? [], out var normalised, out var problems)
                || !AppOrigins.TryCreate(update(app.Origins.Entries, normalised.Entries), out var next, out problems))
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, problems));
                return 2;
            }

            if (next.Stored != app.Origins.Stored)
            {
                app = await store.SetOriginsAsync(app.Id, next, ct) ?? app;
            }

            foreach (var origin in app.Origins.Entries)
            {
                Console.WriteLine(origin);
            }

            return 0;
        }));
        return command;
    }
}
