using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Testing;

namespace Stoa.Server.Tests.Auth;

/// <summary>
/// Pages on other origins: preflights answered before authentication, each request checked against its app's allowed
/// origins (REST, event streams and WebSocket handshakes alike), refusals readable by the page, the rate-limit and
/// trace headers exposed. The browser's side of the same is tests/Stoa.E2E/CrossOriginTests.
/// </summary>
public sealed class CrossOriginTests
{
    private const string Allowed = "https://app.example.com";
    private const string Stranger = "https://elsewhere.example";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_preflight_is_answered_before_authentication()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/threads/t1/comments");
        preflight.Headers.Add("Origin", Stranger);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key, authorization, content-type, idempotency-key");

        var response = await client.SendAsync(preflight, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, "no API key travels with a preflight; it must not be a 401");
        response.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(Stranger);
        response.Headers.GetValues("Access-Control-Allow-Methods").Single().ShouldContain("POST");
        var headers = response.Headers.GetValues("Access-Control-Allow-Headers").Single().ToUpperInvariant();
        foreach (var header in new[] { "X-API-KEY", "AUTHORIZATION", "CONTENT-TYPE", "IDEMPOTENCY-KEY" })
        {
            headers.ShouldContain(header);
        }

        response.Headers.GetValues("Access-Control-Max-Age").Single().ShouldBe("3600");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_request_from_an_allowed_origin_is_served_with_the_headers_a_page_may_read(string store)
    {
        await using var app = await TestApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        await SetOriginsAsync(tenant, [Allowed]);
        using var client = tenant.User("alice");

        var response = await client.SendAsync(FromOrigin(HttpMethod.Get, "/v1/threads/t1/comments", Allowed), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(Allowed);
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(',');
        exposed.ShouldBe(["X-RateLimit-Limit", "X-RateLimit-Remaining", "Retry-After", "X-Trace-Id", "Location", "Idempotent-Replayed"], ignoreOrder: true);
        response.Headers.Contains("X-RateLimit-Remaining").ShouldBeTrue();
        response.Headers.Contains("X-Trace-Id").ShouldBeTrue();
    }

    [Fact]
    public async Task A_request_from_an_origin_the_app_does_not_allow_is_refused_readably()
    {
        await using var app = await TestApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        await SetOriginsAsync(tenant, [Allowed]);
        using var client = tenant.User("alice");

        var refused = await client.SendAsync(FromOrigin(HttpMethod.Post, "/v1/threads/t1/comments", Stranger, new { body = "hi" }), Ct);

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, AuthErrors.OriginNotAllowed);
        problem.GetProperty("detail").GetString()!.ShouldContain(Stranger);
        // The page can read why: the refusal carries the CORS headers too.
        refused.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(Stranger);
        var thread = await (await client.GetAsync("/v1/threads/t1", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        thread.GetProperty("commentCount").GetInt64().ShouldBe(0, "nothing was written");
    }

    [Fact]
    public async Task An_app_without_origins_serves_servers_and_its_own_node_but_no_other_page()
    {
        await using var app = await TestApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var client = tenant.App();

        // No Origin: a backend, curl, a mobile app.
        (await client.GetAsync("/v1/threads/t1", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The node's own origin: its demo page.
        (await client.SendAsync(FromOrigin(HttpMethod.Get, "/v1/threads/t1", $"http://{app.BaseAddress.Authority}"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await client.SendAsync(FromOrigin(HttpMethod.Get, "/v1/threads/t1", "http://localhost:3000"), Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, AuthErrors.OriginNotAllowed);
        await (await client.SendAsync(FromOrigin(HttpMethod.Get, "/v1/threads/t1", "null"), Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, AuthErrors.OriginNotAllowed);
    }

    [Fact]
    public async Task Event_streams_and_websocket_handshakes_check_the_origin_too()
    {
        await using var app = await TestApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        await SetOriginsAsync(tenant, [Allowed]);
        using var client = app.CreateClient();
        var token = TestTokens.User(tenant.Secret, "alice");

        var stream = await client.SendAsync(FromOrigin(HttpMethod.Get, $"/v1/threads/t1/events?api_key={tenant.ApiKey}", Stranger), HttpCompletionOption.ResponseHeadersRead, Ct);
        await stream.ShouldBeProblemAsync(HttpStatusCode.Forbidden, AuthErrors.OriginNotAllowed);
        using (var allowed = await client.SendAsync(FromOrigin(HttpMethod.Get, $"/v1/threads/t1/events?api_key={tenant.ApiKey}", Allowed), HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var creator = tenant.User("alice");
        var doc = await (await creator.PostAsJsonAsync("/v1/docs", new { text = "hello" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var live = new Uri($"ws://{app.BaseAddress.Authority}/v1/docs/{doc.GetProperty("id").GetString()}/live?clientId=c1&api_key={tenant.ApiKey}&access_token={token}");

        using (var refused = new ClientWebSocket())
        {
            refused.Options.SetRequestHeader("Origin", Stranger);
            refused.Options.CollectHttpResponseDetails = true;
            await Should.ThrowAsync<WebSocketException>(() => refused.ConnectAsync(live, Ct));
            refused.HttpStatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", Allowed);
        await socket.ConnectAsync(live, Ct);
        var buffer = new byte[4096];
        var first = await socket.ReceiveAsync(buffer, Ct);
        JsonDocument.Parse(buffer.AsMemory(0, first.Count)).RootElement.GetProperty("type").GetString().ShouldBe("snapshot");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
    }

    [Fact]
    public async Task The_apps_backend_sets_the_origins_and_the_change_holds_at_once()
    {
        await using var app = await TestApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var server = tenant.Server();
        using var user = tenant.User("alice");
        (await user.SendAsync(FromOrigin(HttpMethod.Get, "/v1/app", "http://localhost:5173"), Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var set = await server.PutAsJsonAsync("/v1/app/origins", new { origins = new[] { "HTTPS://App.Example.COM:443/", "http://localhost:*", Allowed } }, Ct);

        set.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await set.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("allowedOrigins").EnumerateArray().Select(e => e.GetString()).ShouldBe([Allowed, "http://localhost:*"]);
        body.TryGetProperty("secret", out _).ShouldBeFalse();
        (await user.SendAsync(FromOrigin(HttpMethod.Get, "/v1/app", "http://localhost:5173"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await user.SendAsync(FromOrigin(HttpMethod.Get, "/v1/app", "http://localhost"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var read = await (await user.GetAsync("/v1/app", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        read.GetProperty("allowedOrigins").GetArrayLength().ShouldBe(2);

        var any = await server.PutAsJsonAsync("/v1/app/origins", new { origins = new[] { "*" } }, Ct);
        any.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await user.SendAsync(FromOrigin(HttpMethod.Get, "/v1/app", Stranger), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Only_the_apps_backend_sets_origins_and_only_origins()
    {
        await using var app = await TestApp.StartAsync();
        var tenant = await app.CreateTenantAsync();

        using var user = tenant.User("alice");
        await (await user.PutAsJsonAsync("/v1/app/origins", new { origins = new[] { "*" } }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, AuthErrors.ServerTokenRequired);

        using var server = tenant.Server();
        var bad = await server.PutAsJsonAsync("/v1/app/origins", new { origins = new[] { "https://ok.example", "https://a.example/path", "ftp://x", "", "http://h:*:*" } }, Ct);
        var problem = await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        problem.GetProperty("errors").GetProperty("origins").GetArrayLength().ShouldBe(4);
        await (await server.PutAsJsonAsync("/v1/app/origins", new { }, Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        var tooMany = Enumerable.Range(0, AppOrigins.MaxEntries + 1).Select(i => $"https://site{i}.example").ToArray();
        await (await server.PutAsJsonAsync("/v1/app/origins", new { origins = tooMany }, Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
    }

    [Fact]
    public async Task The_development_endpoints_answer_loopback_pages_only()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Stoa:DevMode"] = "true" });
        using var client = app.CreateClient();
        foreach (var (origin, allowed) in new[] { ("http://localhost:5173", true), ("http://[::1]:3000", true), (Stranger, false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/dev/token");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            var response = await client.SendAsync(preflight, Ct);
            response.Headers.Contains("Access-Control-Allow-Origin").ShouldBe(allowed, origin);
        }
    }

    private static async Task SetOriginsAsync(TestTenant tenant, string[] origins)
    {
        using var server = tenant.Server();
        (await server.PutAsJsonAsync("/v1/app/origins", new { origins }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static HttpRequestMessage FromOrigin(HttpMethod method, string path, string origin, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }
}
