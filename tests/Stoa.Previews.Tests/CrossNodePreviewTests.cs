using System.Net;
using Stoa.Testing;

namespace Stoa.Previews.Tests;

/// <summary>Two nodes sharing one Redis (or one Redis Cluster): a URL requested on both at once is fetched from upstream once.</summary>
public sealed class CrossNodePreviewTests(FixtureServer fixtures)
{
    [Theory]
    [InlineData(TestEngines.Redis)]
    [InlineData(TestEngines.RedisCluster)]
    public async Task Concurrent_requests_on_two_nodes_cause_one_upstream_fetch_and_share_the_answer(string engine)
    {
        var store = await TestStores.CreateAsync("postgres");
        var settings = new Dictionary<string, string?>
        {
            ["Stoa:Redis"] = await TestEngines.UrlAsync(engine),
            ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Stoa:Previews:AllowedPorts:0"] = fixtures.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stoa:RateLimits:Enabled"] = "false",
        };
        await using var node1 = new StoaAppFactory<Program>(store, settings);
        await using var node2 = new StoaAppFactory<Program>(store, settings);
        node1.StartServer();
        node2.StartServer();
        var tenant1 = await node1.CreateTenantAsync();
        var tenant2 = new TestTenant(tenant1.ApiKey, tenant1.Secret, node2.CreateClient);
        using var client1 = tenant1.App();
        using var client2 = tenant2.App();

        // The page answers slowly, so that both nodes ask while the first fetch is still running.
        var path = $"/slow-ok?shared={Guid.NewGuid():N}";
        var url = Uri.EscapeDataString($"{fixtures.BaseUrl}{path}");
        var before = fixtures.Hits(path);
        var ct = TestContext.Current.CancellationToken;
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? client1 : client2).GetAsync($"/v1/previews?url={url}", ct)));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        foreach (var response in responses)
        {
            (await response.Content.ReadAsStringAsync(ct)).ShouldContain("Slow but fine");
        }

        (fixtures.Hits(path) - before).ShouldBe(1);
    }
}
