using System.CommandLine;
using System.Text.Json;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.Sql;

namespace Stoa.Server.Cli;

/// <summary><c>stoa apps create|list|rotate-secret|origins</c>: manage tenants in the configured store.</summary>
internal static class AppsCommand
{
    public static Command Create()
    {
        var apps = new Command("apps", "Manage apps (tenants): each has a public API key and a signing secret.");
        apps.Add(CreateCommand());
        apps.Add(ListCommand());
        apps.Add(RotateCommand());
        apps.Add(OriginsCommand.Create());
        return apps;
    }

    private static Command CreateCommand()
    {
        var name = new Argument<string>("name") { Description = "A name for the app (for people; need not be unique)." };
        var json = new Option<bool>("--json") { Description = "Print exactly {\"apiKey\": \"…\", \"secret\": \"…\"}." };
        var command = new Command("create", "Create an app and print its API key and secret.") { name, json };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => CliStore.RunAsync([.. parse.UnmatchedTokens], async services =>
        {
            var appName = parse.GetValue(name)!.Trim();
            if (appName.Length is 0 or > 100)
            {
                await Console.Error.WriteLineAsync("The app name must be 1 to 100 characters.");
                return 2;
            }

            await services.GetRequiredService<Migrator>().MigrateAsync(ct);
            var app = await services.GetRequiredService<AppStore>().CreateAsync(appName, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new AppCredentials(app.ApiKey, app.Secret), CliJsonContext.Default.AppCredentials));
            }
            else
            {
                Console.WriteLine($"app:     {app.Name} ({app.Id})");
                Console.WriteLine($"apiKey:  {app.ApiKey}");
                Console.WriteLine($"secret:  {app.Secret}");
            }

            return 0;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var command = new Command("list", "List apps with their API keys and secrets.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => CliStore.RunAsync([.. parse.UnmatchedTokens], async services =>
        {
            await services.GetRequiredService<Migrator>().MigrateAsync(ct);
            foreach (var app in await services.GetRequiredService<AppStore>().ListAsync(ct))
            {
                Console.WriteLine($"{app.ApiKey}\t{app.Secret}\t{app.CreatedAt:O}\t{app.Name}");
            }

            return 0;
        }));
        return command;
    }

    private static Command RotateCommand()
    {
        var key = new Argument<string>("api-key") { Description = "The app's API key." };
        var grace = new Option<string>("--grace") { Description = "How long the old secret stays valid (e.g. 24h).", DefaultValueFactory = _ => "24h" };
        var command = new Command("rotate-secret", "Issue a new secret; the old one stays valid for the grace period.") { key, grace };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => CliStore.RunAsync([.. parse.UnmatchedTokens], async services =>
        {
            if (!Durations.TryParse(parse.GetValue(grace), out var period))
            {
                await Console.Error.WriteLineAsync("--grace must look like 90s, 15m, 24h or 7d.");
                return 2;
            }

            var app = await services.GetRequiredService<AppStore>().RotateSecretAsync(parse.GetValue(key)!, period, ct);
            if (app is null)
            {
                await Console.Error.WriteLineAsync("No app has that API key.");
                return 1;
            }

            Console.WriteLine($"secret:  {app.Secret}");
            Console.WriteLine($"the previous secret stays valid until {app.PreviousSecretExpiresAt:O}");
            return 0;
        }));
        return command;
    }
}

internal sealed record AppCredentials(string ApiKey, string Secret);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AppCredentials))]
internal sealed partial class CliJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
