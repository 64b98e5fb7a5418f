using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Testing;

namespace Stoa.Server.Tests.Dev;

/// <summary>
/// The development-only identity endpoints the web page signs in with: present in dev mode (the embedded default),
/// absent otherwise, on both stores.
/// </summary>
public sealed class DevEndpointsTests
{
    private static readonly Dictionary<string, string?> s_devMode = new() { ["Stoa:DevMode"] = "true" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task In_dev_mode_the_page_gets_the_development_key_and_user_tokens_the_api_accepts(string store)
    {
        await using var app = await TestApp.StartAsync(store, s_devMode);
        using var anonymous = app.CreateClient();

        var session = await ReadJsonAsync(await anonymous.GetAsync("/dev/session", Ct));
        var apiKey = session.GetProperty("apiKey").GetString();
        var development = await app.Services.GetRequiredService<AppStore>().FindByNameAsync("development", Ct);
        development.ShouldNotBeNull("the development app is created at start-up in dev mode");
        apiKey.ShouldBe(development.ApiKey);

        var issued = await ReadJsonAsync(await anonymous.PostAsJsonAsync("/dev/token", new { userId = "alice" }, Ct));
        issued.GetProperty("userId").GetString().ShouldBe("alice");
        issued.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(1));

        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.GetProperty("token").GetString());
        var caller = await ReadJsonAsync(await client.GetAsync("/v1/probe/user", Ct));
        caller.GetProperty("userId").GetString().ShouldBe("alice");
        caller.GetProperty("isServer").GetBoolean().ShouldBeFalse("a dev token is a user token, never the app's backend");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task With_dev_mode_off_the_dev_endpoints_do_not_exist(string store)
    {
        // The factory's default is Stoa:DevMode=false.
        await using var app = await TestApp.StartAsync(store);
        using var client = app.CreateClient();
        await (await client.GetAsync("/dev/session", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, FoundationErrors.NotFound);
        await (await client.PostAsJsonAsync("/dev/token", new { userId = "alice" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, FoundationErrors.NotFound);
        (await app.Services.GetRequiredService<AppStore>().FindByNameAsync("development", Ct)).ShouldBeNull();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Unset_dev_mode_is_off_once_a_store_is_configured(string store)
    {
        // An empty value binds as "not set", so IsDevMode falls back to its rule: on only for the zero-set-up default
        // (no Stoa:Store, no Stoa:Redis). A node given a store, even an SQLite file, is a deployment.
        await using var app = await TestApp.StartAsync(store, new Dictionary<string, string?> { ["Stoa:DevMode"] = "" });
        using var client = app.CreateClient();
        (await client.GetAsync("/dev/session", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("a-name-that-is-far-too-long-for-a-development-user-id-0123456789x")]
    [InlineData("tab\tinside")]
    public async Task Token_requests_need_a_user_id_of_1_to_64_characters(string? userId)
    {
        await using var app = await TestApp.StartAsync(settings: s_devMode);
        using var client = app.CreateClient();
        var body = await (await client.PostAsJsonAsync("/dev/token", new { userId }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        body.GetProperty("errors").TryGetProperty("userId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Token_requests_are_rate_limited()
    {
        var settings = new Dictionary<string, string?>(s_devMode)
        {
            ["Stoa:RateLimits:Policies:writes:Capacity"] = "2",
            ["Stoa:RateLimits:Policies:writes:TokensPerSecond"] = "0.1",
        };
        await using var app = await TestApp.StartAsync(settings: settings);
        using var client = app.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            (await client.PostAsJsonAsync("/dev/token", new { userId = "alice" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await (await client.PostAsJsonAsync("/dev/token", new { userId = "alice" }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, FoundationErrors.RateLimited);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }
}
