using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Stoa.Foundation.Auth;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Testing;

namespace Stoa.Server.Tests.Cli;

public sealed class AppsAndTokenCommandTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Apps_create_json_and_token_produce_credentials_the_server_accepts(string kind)
    {
        var store = await TestStores.CreateAsync(kind);
        var environment = new Dictionary<string, string> { ["Stoa__Store"] = store };

        var created = await StoaProcess.RunAsync(environment, "apps", "create", "Acme", "--json");
        created.ExitCode.ShouldBe(0, created.Stderr);
        var json = JsonDocument.Parse(created.Stdout).RootElement;
        json.EnumerateObject().Select(p => p.Name).ShouldBe(["apiKey", "secret"]);
        var apiKey = json.GetProperty("apiKey").GetString()!;

        var user = await StoaProcess.RunAsync(environment, "token", "--app", apiKey, "--user", "alice", "--ttl", "15m");
        user.ExitCode.ShouldBe(0, user.Stderr);
        var userToken = user.Stdout.Trim();
        user.Stdout.ShouldBe(userToken + Environment.NewLine, "the token alone on stdout");
        var server = await StoaProcess.RunAsync(environment, "token", "--app", apiKey, "--user", "backend", "--server");
        server.ExitCode.ShouldBe(0, server.Stderr);

        await using var app = new TestApp(store);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", userToken);
        var me = JsonDocument.Parse(await client.GetStringAsync("/v1/probe/user", TestContext.Current.CancellationToken)).RootElement;
        me.GetProperty("userId").GetString().ShouldBe("alice");
        me.GetProperty("isServer").GetBoolean().ShouldBeFalse();

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Stdout.Trim());
        (await client.GetAsync("/v1/probe/server", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Apps_origins_change_which_pages_a_node_serves()
    {
        var store = TestStores.CreateSqlite();
        var environment = new Dictionary<string, string> { ["Stoa__Store"] = store };
        var created = await StoaProcess.RunAsync(environment, "apps", "create", "Acme", "--json");
        var apiKey = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("apiKey").GetString()!;

        var added = await StoaProcess.RunAsync(environment, "apps", "origins", "add", apiKey, "https://App.Example.com/", "http://localhost:*");
        added.ExitCode.ShouldBe(0, added.Stderr);
        added.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["https://app.example.com", "http://localhost:*"]);
        var removed = await StoaProcess.RunAsync(environment, "apps", "origins", "remove", apiKey, "HTTP://LOCALHOST:*");
        removed.Stdout.Trim().ShouldBe("https://app.example.com");
        var refused = await StoaProcess.RunAsync(environment, "apps", "origins", "set", apiKey, "https://app.example.com/login");
        refused.ExitCode.ShouldBe(2);
        refused.Stderr.ShouldContain("is not an origin");
        (await StoaProcess.RunAsync(environment, "apps", "origins", "list", apiKey)).Stdout.Trim().ShouldBe("https://app.example.com");
        (await StoaProcess.RunAsync(environment, "apps", "origins", "list", "pk_nope")).ExitCode.ShouldBe(1);

        await using var app = new TestApp(store);
        using var client = app.CreateClient();
        foreach (var (origin, status) in new[] { ("https://app.example.com", HttpStatusCode.OK), ("http://localhost:3000", HttpStatusCode.Forbidden) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/app");
            request.Headers.Add("X-Api-Key", apiKey);
            request.Headers.Add("Origin", origin);
            (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(status, origin);
        }
    }

    [Fact]
    public async Task Token_for_an_unknown_app_or_with_a_bad_ttl_fails_clearly()
    {
        var environment = new Dictionary<string, string> { ["Stoa__Store"] = TestStores.CreateSqlite() };
        (await StoaProcess.RunAsync(environment, "apps", "create", "x")).ExitCode.ShouldBe(0);
        var unknown = await StoaProcess.RunAsync(environment, "token", "--app", "pk_nope", "--user", "u");
        unknown.ExitCode.ShouldBe(1);
        unknown.Stderr.ShouldContain("No app has that API key");
        var badTtl = await StoaProcess.RunAsync(environment, "token", "--app", "pk_nope", "--user", "u", "--ttl", "forever");
        badTtl.ExitCode.ShouldBe(2);
        badTtl.Stderr.ShouldContain("--ttl");
    }

    [Fact]
    public async Task The_embedded_default_creates_and_prints_a_development_app_once()
    {
        var store = TestStores.CreateSqlite();
        // A store of its own needs development mode asked for: unasked, it is on only when no store is set at all.
        var environment = new Dictionary<string, string>
        {
            ["Stoa__Store"] = store, ["Stoa__Urls"] = $"http://127.0.0.1:{TestPorts.GetFree()}", ["Stoa__DevMode"] = "true",
        };

        var first = await StoaProcess.RunUntilAsync(environment, "user token (alice):");
        var apiKey = first.Split('\n').First(l => l.Contains("X-Api-Key:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var token = first.Split('\n').First(l => l.Contains("user token (alice):", StringComparison.Ordinal)).Split(':', 2)[1].Trim();

        var second = await StoaProcess.RunUntilAsync(environment, "Development app: API key");
        second.ShouldContain(apiKey);
        second.ShouldNotContain("secret:");

        await using var app = new TestApp(store);
        (await app.Services.GetRequiredService<AppStore>().ListAsync(TestContext.Current.CancellationToken))
            .Count(a => a.Name == "development").ShouldBe(1);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.GetAsync("/v1/probe/user", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
