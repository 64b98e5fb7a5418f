using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Memory;
using Stoa.Redis;
using Stoa.Testing;

namespace Stoa.Server.Tests.Hostile;

/// <summary>
/// Reads need only the public API key, and anyone can invent ids. Reading 10,000 made-up thread ids and 10,000
/// made-up users' followers must leave nothing behind for good: on Redis no key without a TTL (Redis never evicts
/// those under volatile-lru), in the in-process engine no key without an expiry and no growth past its bound. The quote
/// feed is off: its market prices are writes, which may last.
/// </summary>
public sealed class UnknownIdReadsTests
{
    private const int Reads = 10_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_redis_every_key_a_read_created_has_a_ttl()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Stoa:Redis"] = redis.Url,
            ["Stoa:RateLimits:Enabled"] = "false",
            ["Stoa:Quotes:Feed"] = "none",
        });
        await ReadUnknownIdsAsync(app);

        await using var admin = await RedisClient.ConnectAsync(redis.Url, Ct);
        var keys = new List<string>();
        var cursor = "0";
        do
        {
            var page = await admin.ExecuteAsync("SCAN", [cursor, "COUNT", 1000], Ct);
            cursor = page.Items[0].AsString()!;
            foreach (var key in page.Items[1].Items)
            {
                keys.Add(key.AsString()!);
            }
        }
        while (cursor != "0");

        keys.Count.ShouldBeGreaterThan(0, "the reads did use the engine");
        var ttls = await Task.WhenAll(keys.Select(async k => (Key: k, Ttl: (await admin.ExecuteAsync("PTTL", [k], Ct)).AsInt64())));
        ttls.Where(t => t.Ttl == -1).Select(t => t.Key).ShouldBeEmpty();
    }

    [Fact]
    public async Task In_the_in_process_engine_reads_add_no_key_without_expiry_and_size_stays_bounded()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Stoa:RateLimits:Enabled"] = "false",
            ["Stoa:MemoryEngineMaxBytes"] = "4194304",
            ["Stoa:Quotes:Feed"] = "none",
        });
        var engine = (MemoryEngine)app.Services.GetRequiredService<IEngine>();
        var lastingBefore = engine.LastingKeyCount;
        await ReadUnknownIdsAsync(app);

        engine.LastingKeyCount.ShouldBe(lastingBefore);
        engine.ApproximateBytes.ShouldBeLessThanOrEqualTo(4 * 1024 * 1024);
    }

    private static async Task ReadUnknownIdsAsync(TestApp app)
    {
        using var client = (await app.CreateTenantAsync()).App();
        await Parallel.ForEachAsync(Enumerable.Range(0, Reads), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            using var comments = await client.GetAsync($"/v1/threads/made-up-{i}/comments", ct);
            comments.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var followers = await client.GetAsync($"/v1/users/made-up-{i}/followers", ct);
            followers.StatusCode.ShouldBe(HttpStatusCode.OK);
        });
    }
}
