using System.CommandLine;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Hosting;

namespace Stoa.Server.Cli;

/// <summary><c>stoa token --app KEY --user ID [--server] [--ttl 1h]</c>: prints a signed JWT alone on stdout.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var app = new Option<string>("--app") { Description = "The app's API key.", Required = true };
        var user = new Option<string>("--user") { Description = "The user id (the token's sub).", Required = true };
        var server = new Option<bool>("--server") { Description = "A server token: the app's backend (moderation, admin)." };
        var ttl = new Option<string>("--ttl") { Description = "Lifetime, e.g. 15m, 1h, 7d.", DefaultValueFactory = _ => "1h" };
        var command = new Command("token", "Print a token signed with the app's secret, as the app's backend would issue it.") { app, user, server, ttl };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => CliStore.RunAsync([.. parse.UnmatchedTokens], async services =>
        {
            if (!Durations.TryParse(parse.GetValue(ttl), out var lifetime))
            {
                await Console.Error.WriteLineAsync("--ttl must look like 90s, 15m, 1h or 7d.");
                return 2;
            }

            var subject = parse.GetValue(user)!;
            if (subject.Length is 0 or > 256)
            {
                await Console.Error.WriteLineAsync("--user must be 1 to 256 characters.");
                return 2;
            }

            var found = await services.GetRequiredService<AppStore>().FindByApiKeyAsync(parse.GetValue(app)!, ct);
            if (found is null)
            {
                await Console.Error.WriteLineAsync("No app has that API key.");
                return 1;
            }

            var time = services.GetRequiredService<TimeProvider>();
            Console.WriteLine(JwtIssuer.Issue(found.Secret, subject, parse.GetValue(server), lifetime, time.GetUtcNow()));
            return 0;
        }));
        return command;
    }
}
