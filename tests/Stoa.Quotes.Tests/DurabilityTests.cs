using System.Net;
using Stoa.Testing;

namespace Stoa.Quotes.Tests;

/// <summary>An acknowledged quote survives losing the engine: the store keeps the latest quote of each symbol.</summary>
public sealed class DurabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pushed_quote_survives_a_node_restart_on_the_embedded_default()
    {
        var store = TestStores.CreateSqlite();
        TestTenant tenant;
        await using (var first = await QuotesNode.StartAsync(store: store))
        {
            tenant = await first.CreateTenantAsync();
            using var backend = tenant.Server();
            (await backend.PutQuoteAsync("DUR", 123.45m, seq: 7, cancellationToken: Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A new process: the in-process engine starts empty.
        await using var second = await QuotesNode.StartAsync(store: store);
        using var reader = new TestTenant(tenant.ApiKey, tenant.Secret, second.CreateClient).App();
        var quote = await (await reader.GetAsync("/v1/quotes/DUR", Ct)).ReadQuoteAsync(Ct);
        quote.Price.ShouldBe(123.45m);
        quote.Seq.ShouldBe(7);

        using var backend2 = new TestTenant(tenant.ApiKey, tenant.Secret, second.CreateClient).Server();
        (await backend2.PutQuoteAsync("DUR", 1m, seq: 6, cancellationToken: Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict, "the archive still orders writes by seq");
    }

    [Fact]
    public async Task A_pushed_quote_survives_a_redis_restart_that_lost_every_key()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await QuotesNode.StartDeployedAsync(redis);
        var tenant = await node.CreateTenantAsync();
        using var backend = tenant.Server();
        using var reader = tenant.App();
        (await backend.PutQuoteAsync("KEEP", 42.5m, seq: 100, cancellationToken: Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await redis.RestartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage response;
        do
        {
            response = await reader.GetAsync("/v1/quotes/KEEP", Ct);
            response.StatusCode.ShouldNotBe(HttpStatusCode.NotFound, "the quote was acknowledged: it must not vanish with Redis");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(100, Ct);
        }
        while (DateTime.UtcNow < deadline);

        (await response.ReadQuoteAsync(Ct)).Price.ShouldBe(42.5m);
    }
}
