using System.Collections.Concurrent;
using System.Net;
using Stoa.Foundation.Errors;
using Stoa.Testing;

namespace Stoa.Quotes.Tests;

/// <summary>
/// Three nodes on one real Redis (the first test also on a Redis Cluster): the near-caches stay coherent through writes, a Redis restart and the loss of the
/// feed leader. Deadlines in these tests bound waiting for liveness; none asserts a speed.
/// </summary>
public sealed class ClusterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(TestEngines.Redis, 10_000)]
    [InlineData(TestEngines.RedisCluster, 2_000)]
    public async Task No_node_serves_an_old_price_once_a_write_is_acknowledged_and_its_invalidation_delivered(string engine, int defaultRounds)
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("STOA_QUOTES_COHERENCE_ROUNDS"), out var r) ? r : defaultRounds;
        await using var cluster = await Cluster.StartAsync(await TestEngines.UrlAsync(engine));
        var tenants = await cluster.CreateTenantAsync();
        var servers = tenants.Select(t => t.Server()).ToArray();
        var invalidations = cluster.Nodes.Select(n => new InvalidationLog(n)).ToArray();
        string[] symbols = ["AAPL", "MSFT", "GOOGL"];
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var seq = 0L;
        var appId = await AppIdOfAsync(cluster.Nodes[0], tenants[0]);

        // Every node reads every symbol once, so that Redis tracks each key for each node from the start.
        foreach (var symbol in symbols)
        {
            (await servers[0].PutQuoteAsync(symbol, 100m, ++seq, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        foreach (var server in servers)
        {
            foreach (var symbol in symbols)
            {
                await (await server.GetAsync($"/v1/quotes/{symbol}", Ct)).ReadQuoteAsync(Ct);
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            var writer = random.Next(servers.Length);
            var symbol = symbols[random.Next(symbols.Length)];
            var price = Math.Round(100m + (decimal)(random.NextDouble() * 100), 2);
            var key = Storage.QuoteKeys.Quote(appId, symbol);
            var before = invalidations.Select(log => log.Count(key)).ToArray();

            var put = await servers[writer].PutQuoteAsync(symbol, price, ++seq, Ct);
            put.StatusCode.ShouldBe(HttpStatusCode.OK, $"seed {seed}, round {round}");

            // Each node tracks the key (it read it last round): it gets Redis's invalidation; the writer also drops
            // its own copy as it writes (Redis does not skip the writing connection: no NOLOOP).
            for (var n = 0; n < servers.Length; n++)
            {
                var expected = before[n] + (n == writer ? 2 : 1);
                await invalidations[n].WaitAsync(key, expected, $"seed {seed}, round {round}, node {n + 1}");
            }

            foreach (var n in Enumerable.Range(0, servers.Length).OrderBy(_ => random.Next()))
            {
                var quote = await (await servers[n].GetAsync($"/v1/quotes/{symbol}", Ct)).ReadQuoteAsync(Ct);
                (quote.Seq, quote.Price).ShouldBe((seq, price), $"seed {seed}, round {round}: node {n + 1} served an old price after the write by node {writer + 1}");
            }
        }
    }

    [Fact]
    public async Task After_a_Redis_restart_nodes_recover_by_themselves_and_none_serves_a_price_that_changed_meanwhile()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(redis.Url);
        var tenants = await cluster.CreateTenantAsync();
        var servers = tenants.Select(t => t.Server()).ToArray();
        (await servers[0].PutQuoteAsync("AAPL", 228m, 10, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var server in servers)
        {
            (await (await server.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct)).Price.ShouldBe(228m);
        }

        // A stream on node 2 lives through the outage: once its subscription is restored it gets the new price.
        using var streamClient = cluster.Nodes[1].CreateClient();
        using var stream = await streamClient.GetAsync($"/v1/quotes/stream?symbols=AAPL&api_key={tenants[1].ApiKey}", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var events = new SseReader(await stream.Content.ReadAsStreamAsync(Ct));
        (await events.NextAsync(Ct))!.Price.ShouldBe(228m);

        redis.Kill();
        foreach (var server in servers)
        {
            // During the outage: the last known price or "unavailable", never an error page or anything else.
            var response = await server.GetAsync("/v1/quotes/AAPL", Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                (await response.ReadQuoteAsync(Ct)).Price.ShouldBe(228m);
            }
            else
            {
                await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, FoundationErrors.EngineUnavailable);
            }
        }

        // Redis comes back empty; the price changes at once, through node 1, while nodes 2 and 3 may still be
        // reconnecting: none of them may serve the 228 they had cached before the outage.
        await redis.RestartAsync();
        await Eventually(async () => (await servers[0].PutQuoteAsync("AAPL", 250m, 11, Ct)).StatusCode == HttpStatusCode.OK, "node 1 writes again");

        var recovered = new bool[servers.Length];
        await Eventually(async () =>
        {
            for (var n = 0; n < servers.Length; n++)
            {
                var response = await servers[n].GetAsync("/v1/quotes/AAPL", Ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    (await response.ReadQuoteAsync(Ct)).Price.ShouldBe(250m, $"node {n + 1} served a price from before the outage");
                    recovered[n] = true;
                }
                else
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
                }
            }

            return recovered.All(r => r);
        }, "every node serves the new price");

        foreach (var node in cluster.Nodes)
        {
            using var client = node.CreateClient();
            await Eventually(async () => (await client.GetAsync("/readyz", Ct)).StatusCode == HttpStatusCode.OK, "ready again");
        }

        // And caching works again: a further write reaches everyone.
        (await servers[2].PutQuoteAsync("AAPL", 251m, 12, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var server in servers)
        {
            await Eventually(async () => (await (await server.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct)).Price == 251m, "the next write is seen");
        }

        // Ticks may be coalesced or lost in the gap, but the stream ends up at the latest price.
        QuoteDto? streamed;
        do
        {
            streamed = await events.NextAsync(Ct);
            streamed.ShouldNotBeNull("the stream ended");
            streamed.Price.ShouldNotBe(228m, "an old price resent after the outage");
        }
        while (streamed.Price != 251m);
    }

    [Fact]
    public async Task Streams_on_every_node_get_a_write_made_on_another()
    {
        var redis = await RedisServer.Shared;
        await using var cluster = await Cluster.StartAsync(redis.Url);
        var tenants = await cluster.CreateTenantAsync();
        using var server = tenants[0].Server();
        (await server.PutQuoteAsync("NVDA", 138m, 1, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var sseClient = cluster.Nodes[2].CreateClient();
        using var response = await sseClient.GetAsync($"/v1/quotes/stream?symbols=NVDA&api_key={tenants[2].ApiKey}", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));
        (await events.NextAsync(Ct))!.Price.ShouldBe(138m, "the current price first");
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(cluster.Nodes[1].BaseAddress) { Scheme = "ws", Path = "/v1/quotes/stream", Query = $"symbols=NVDA&api_key={tenants[1].ApiKey}" }.Uri, Ct);
        (await socket.NextQuoteAsync(Ct))!.Price.ShouldBe(138m);

        for (var seq = 2; seq <= 20; seq++)
        {
            (await server.PutQuoteAsync("NVDA", 138m + seq, seq, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // In order and never backwards; intermediate ticks may be coalesced for a slow reader.
        foreach (var next in new Func<Task<QuoteDto?>>[] { () => events.NextAsync(Ct), () => socket.NextQuoteAsync(Ct) })
        {
            var last = 1L;
            while (last < 20)
            {
                var quote = (await next())!;
                quote.Seq.ShouldBeGreaterThan(last);
                quote.Price.ShouldBe(138m + quote.Seq);
                last = quote.Seq;
            }
        }
    }

    [Fact]
    public async Task When_the_feed_leader_dies_another_node_takes_over()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(redis.Url, new Dictionary<string, string?>
        {
            ["Stoa:Quotes:Feed"] = "simulated",
            ["Stoa:Quotes:Symbols"] = "AAPL",
            ["Stoa:Quotes:Simulated:TicksPerSecond"] = "20",
            ["Stoa:Quotes:LeaseTtlSeconds"] = "3",
        });
        var tenants = await cluster.CreateTenantAsync();
        var clients = tenants.Select(t => t.App()).ToArray();
        var leader = await WaitForOneLeaderAsync(cluster.Nodes);
        var before = await QuotesApiTests.WaitForQuoteAsync(clients[(leader + 1) % 3], "AAPL");

        // Killed: its engine connection dies with it, so the lease is not released, it has to expire.
        cluster.Nodes[leader].Leases.Sever();
        await cluster.Nodes[leader].DisposeAsync();
        var survivors = cluster.Nodes.Where((_, i) => i != leader).ToArray();
        var next = await WaitForOneLeaderAsync(survivors);
        survivors[next].Feed!.Terms.ShouldBe(1);

        var reader = clients[Array.IndexOf(cluster.Nodes, survivors[1 - next])];
        await Eventually(async () => (await (await reader.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct)).Seq > before.Seq + 10,
            "ticks resume from the new leader");
        var after = await (await reader.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct);
        Math.Abs(after.Price - before.Price).ShouldBeLessThan(before.Price / 10, "the new leader continues the walk instead of restarting it");
    }

    private static async Task<int> WaitForOneLeaderAsync(QuotesNode[] nodes)
    {
        await Eventually(() => Task.FromResult(nodes.Count(n => n.Feed!.IsLeader) == 1), "one leader");
        // Sampled for a while: never two at once.
        for (var i = 0; i < 20; i++)
        {
            nodes.Count(n => n.Feed!.IsLeader).ShouldBeLessThanOrEqualTo(1);
            await Task.Delay(50, Ct);
        }

        return Array.FindIndex(nodes, n => n.Feed!.IsLeader);
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            bool done;
            try
            {
                done = await condition();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                done = false;
            }

            if (done)
            {
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"not reached: {what}");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<Guid> AppIdOfAsync(QuotesNode node, TestTenant tenant)
    {
        var apps = (Stoa.Foundation.Auth.AppStore)node.Services.GetService(typeof(Stoa.Foundation.Auth.AppStore))!;
        return (await apps.FindByApiKeyAsync(tenant.ApiKey, Ct))!.Id;
    }

    /// <summary>Counts the near-cache invalidations one node received, per key (a flush counts for every key).</summary>
    private sealed class InvalidationLog
    {
        private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
        private int _flushes;

        public InvalidationLog(QuotesNode node)
        {
            node.NearCache.Invalidated += key =>
            {
                if (key is null)
                {
                    Interlocked.Increment(ref _flushes);
                }
                else
                {
                    _counts.AddOrUpdate(key, 1, (_, n) => n + 1);
                }
            };
        }

        public int Count(string key) => (_counts.TryGetValue(key, out var n) ? n : 0) + Volatile.Read(ref _flushes);

        public async Task WaitAsync(string key, int atLeast, string context)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Count(key) < atLeast)
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, $"invalidation never delivered ({context})");
                await Task.Yield();
                if (Count(key) < atLeast)
                {
                    await Task.Delay(1, Ct);
                }
            }
        }
    }
}
