using System.Net;
using System.Text.Json;
using Stoa.Testing;

namespace Stoa.Previews.Tests;

/// <summary>With Redis gone, a preview request is a 503 the client may retry, not a 500; and it recovers by itself.</summary>
public sealed class EngineOutageTests(FixtureServer fixtures)
{
    [Fact]
    public async Task A_preview_request_while_redis_is_down_is_a_503_engine_unavailable_and_works_again_after()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync();
        var store = await TestStores.CreateAsync("postgres");
        await using var node = new StoaAppFactory<Program>(store, new Dictionary<string, string?>
        {
            ["Stoa:Redis"] = redis.Url,
            ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Stoa:Previews:AllowedPorts:0"] = fixtures.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stoa:RateLimits:Enabled"] = "false",
        });
        node.StartServer();
        var tenant = await node.CreateTenantAsync();
        using var client = tenant.App();
        string Url() => Uri.EscapeDataString($"{fixtures.BaseUrl}/pages/og-only?outage={Guid.NewGuid():N}");
        (await client.GetAsync($"/v1/previews?url={Url()}", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        redis.Kill();
        using var during = await client.GetAsync($"/v1/previews?url={Url()}", ct);
        var body = await during.Content.ReadAsStringAsync(ct);
        during.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, body);
        during.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(body).RootElement.GetProperty("code").GetString().ShouldBe("engine_unavailable");
        during.Headers.RetryAfter.ShouldNotBeNull();

        await redis.RestartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200, ct);
            status = (await client.GetAsync($"/v1/previews?url={Url()}", ct)).StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        status.ShouldBe(HttpStatusCode.OK);
    }
}
