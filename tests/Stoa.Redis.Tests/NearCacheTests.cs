using System.Collections.Concurrent;
using System.Globalization;
using Stoa.Redis.Protocol;
using Stoa.Testing;

namespace Stoa.Redis.Tests;

public sealed class NearCacheTests
{
    private static async Task<long> GetCallsAsync(RedisClient admin)
    {
        string stats = (await admin.ExecuteAsync("INFO", "commandstats")).AsString()!;
        foreach (string line in stats.Split('\n'))
        {
            if (line.StartsWith("cmdstat_get:calls=", StringComparison.Ordinal))
            {
                return long.Parse(line["cmdstat_get:calls=".Length..line.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    [Theory]
    [InlineData(RedisTrackingMode.Default)]
    [InlineData(RedisTrackingMode.OptIn)]
    [InlineData(RedisTrackingMode.Broadcast)]
    public async Task Serves_hits_locally_and_evicts_on_invalidation(RedisTrackingMode mode)
    {
        var options = await RedisFixture.SharedOptionsAsync();
        string p = RedisServer.NewPrefix();
        await using var cache = await RedisNearCache.ConnectAsync(options, new RedisNearCacheOptions { Mode = mode, Prefixes = [p] });
        await using var writer = await RedisClient.ConnectAsync(options);
        var invalidated = new ConcurrentQueue<string?>();
        cache.Invalidated += invalidated.Enqueue;

        await writer.SetAsync(p + "k", "v1");
        if (mode == RedisTrackingMode.Broadcast)
        {
            // Broadcast invalidations are batched by the server and may trail a later read's reply; that read would
            // then (correctly) be evicted. Let this one land first so the counts below are deterministic.
            await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(p + "k")), "the broadcast arrives");
            invalidated.Clear();
        }

        (await cache.GetAsync(p + "k")).ShouldBe("v1");
        (await cache.GetAsync(p + "k")).ShouldBe("v1");
        (await cache.GetBytesAsync(p + "k"))!.Value.ToArray().ShouldBe("v1"u8.ToArray());
        cache.Misses.ShouldBe(1);
        cache.Hits.ShouldBe(2);
        (await cache.GetAsync(p + "absent")).ShouldBeNull();
        (await cache.GetAsync(p + "absent")).ShouldBeNull();
        cache.Misses.ShouldBe(2);

        await writer.SetAsync(p + "k", "v2");
        await writer.SetAsync(p + "absent", "now");
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(p + "k") && invalidated.Contains(p + "absent")), "the invalidations arrive");
        (await cache.GetAsync(p + "k")).ShouldBe("v2");
        (await cache.GetAsync(p + "absent")).ShouldBe("now");
        cache.Misses.ShouldBe(4);
    }

    [Theory]
    [InlineData(RedisTrackingMode.Default)]
    [InlineData(RedisTrackingMode.OptIn)]
    [InlineData(RedisTrackingMode.Broadcast)]
    public async Task Never_stays_stale_under_concurrent_writes_and_reads(RedisTrackingMode mode)
    {
        var options = await RedisFixture.SharedOptionsAsync();
        string p = RedisServer.NewPrefix();
        string[] keys = [p + "a", p + "b", p + "c"];
        await using var cache = await RedisNearCache.ConnectAsync(options, new RedisNearCacheOptions { Mode = mode, Prefixes = [p] });
        await using var writer = await RedisClient.ConnectAsync(options);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            for (int n = 1; !stop.IsCancellationRequested; n++)
            {
                await cache.GetAsync(keys[r % keys.Length]);
                if (n % 64 == 0)
                {
                    // Hits complete synchronously: without a pause these loops would starve the 2 shared cores.
                    await Task.Delay(1);
                }
            }
        })).ToArray();
        var writers = keys.Select(key => Task.Run(async () =>
        {
            for (int i = 0; i < 300; i++)
            {
                await writer.SetAsync(key, i.ToString(CultureInfo.InvariantCulture));
            }
        })).ToArray();
        await Task.WhenAll(writers);

        // Once the writes stop, every key must converge to its last value: no invalidation was lost or overtaken.
        foreach (string key in keys)
        {
            await RedisFixture.EventuallyAsync(async () => await cache.GetAsync(key) == "299", $"{key} converges");
        }

        stop.Cancel();
        await Task.WhenAll(readers);
        foreach (string key in keys)
        {
            (await cache.GetAsync(key)).ShouldBe("299");
        }
    }

    [Fact]
    public async Task Broadcast_mode_does_not_cache_keys_outside_its_prefixes()
    {
        var options = await RedisFixture.SharedOptionsAsync();
        string p = RedisServer.NewPrefix();
        await using var cache = await RedisNearCache.ConnectAsync(options, new RedisNearCacheOptions { Mode = RedisTrackingMode.Broadcast, Prefixes = [p + "in:"] });
        await cache.Client.SetAsync(p + "out", "x");
        (await cache.GetAsync(p + "out")).ShouldBe("x");
        (await cache.GetAsync(p + "out")).ShouldBe("x");
        cache.Hits.ShouldBe(0);
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_hit_does_not_allocate()
    {
        var options = await RedisFixture.SharedOptionsAsync();
        string key = RedisServer.NewPrefix() + "hot";
        await using var cache = await RedisNearCache.ConnectAsync(options);
        await cache.SetAsync(key, "42.17");
        (await cache.GetAsync(key)).ShouldBe("42.17");
        (await cache.GetAsync(key)).ShouldBe("42.17");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            var hit = cache.GetAsync(key);
            hit.IsCompletedSuccessfully.ShouldBeTrue();
#pragma warning disable xUnit1031 // completed synchronously (asserted above): reading the result does not block
            _ = hit.Result;
#pragma warning restore xUnit1031
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    [Fact]
    public async Task Concurrent_misses_for_one_key_share_one_request()
    {
        await using var server = await RedisServer.StartAsync();
        var options = RedisOptions.Parse(server.Url);
        await using var cache = await RedisNearCache.ConnectAsync(options);
        await using var admin = await RedisClient.ConnectAsync(options);
        await admin.SetAsync("shared", "value");
        long before = await GetCallsAsync(admin);
        var reads = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => cache.GetAsync("shared").AsTask()));
        reads.ShouldAllBe(v => v == "value");
        (await GetCallsAsync(admin) - before).ShouldBe(1);
    }

    [Fact]
    public async Task Read_your_own_write_through_the_cache()
    {
        var options = await RedisFixture.SharedOptionsAsync();
        string key = RedisServer.NewPrefix() + "ryow";
        await using var cache = await RedisNearCache.ConnectAsync(options);
        for (int i = 0; i < 300; i++)
        {
            string value = i.ToString(CultureInfo.InvariantCulture);

            // A read racing with the write, then a read right after it: the latter must see the write even though
            // Redis sends the invalidation for our own write only after the write's reply.
            var racing = cache.GetAsync(key);
            (await cache.SetAsync(key, value)).ShouldBeTrue();
            (await cache.GetAsync(key)).ShouldBe(value);
            await racing;
        }

        (await cache.DeleteAsync(key)).ShouldBeTrue();
        (await cache.GetAsync(key)).ShouldBeNull();
    }

    [Fact]
    public async Task Own_write_is_visible_before_the_servers_late_invalidation_arrives()
    {
        // rueidis #534: Redis sends the invalidation for a client's own write after the write's reply (redis#9422).
        // This server makes that gap 200 ms wide.
        var store = new ConcurrentDictionary<string, string>();
        await using var fake = new FakeRedisServer(command =>
        {
            if (FakeRedisServer.Handshake(command) is { } handshake)
            {
                return handshake;
            }

            if (command[0] == "GET")
            {
                return [store.TryGetValue(command[1], out var value) ? RespValue.BulkString(value) : RespValue.Null];
            }

            store[command[1]] = command[2];
            var invalidate = RespValue.FromAggregate(RespType.Push, [RespValue.BulkString("invalidate"), RespValue.FromAggregate(RespType.Array, [RespValue.BulkString(command[1])])]);
            return [RespValue.FromBytes(RespType.SimpleString, "OK"u8.ToArray()), default, invalidate];
        });
        await using var cache = await RedisNearCache.ConnectAsync(RedisOptions.Parse(fake.Url));
        store["k"] = "v0";
        (await cache.GetAsync("k")).ShouldBe("v0");
        (await cache.SetAsync("k", "v1")).ShouldBeTrue();
        (await cache.GetAsync("k")).ShouldBe("v1");
    }

    [Fact]
    public async Task An_invalidation_that_overtakes_the_reply_prevents_caching_it()
    {
        // Lettuce #3481: the invalidation for a key arrives before the (older) value read for it.
        int gets = 0;
        await using var fake = new FakeRedisServer(command =>
        {
            if (FakeRedisServer.Handshake(command) is { } handshake)
            {
                return handshake;
            }

            int n = Interlocked.Increment(ref gets);
            var invalidate = RespValue.FromAggregate(RespType.Push, [RespValue.BulkString("invalidate"), RespValue.FromAggregate(RespType.Array, [RespValue.BulkString(command[1])])]);
            return n == 1 ? [invalidate, RespValue.BulkString("old")] : [RespValue.BulkString("new")];
        });
        await using var cache = await RedisNearCache.ConnectAsync(RedisOptions.Parse(fake.Url));
        var invalidated = new ConcurrentQueue<string?>();
        cache.Invalidated += invalidated.Enqueue;
        (await cache.GetAsync("k")).ShouldBe("old");
        (await cache.GetAsync("k")).ShouldBe("new");
        (await cache.GetAsync("k")).ShouldBe("new");
        gets.ShouldBe(2);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains("k")), "the event is raised");
    }

    [Fact]
    public async Task A_null_invalidation_flushes_everything()
    {
        await using var server = await RedisServer.StartAsync();
        var options = RedisOptions.Parse(server.Url);
        await using var cache = await RedisNearCache.ConnectAsync(options);
        await using var admin = await RedisClient.ConnectAsync(options);
        var invalidated = new ConcurrentQueue<string?>();
        cache.Invalidated += invalidated.Enqueue;
        await admin.SetAsync("a", "1");
        await admin.SetAsync("b", "2");
        await cache.GetAsync("a");
        await cache.GetAsync("b");
        cache.Count.ShouldBe(2);
        await admin.ExecuteAsync("FLUSHALL");
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(null)), "the flush arrives");
        cache.Count.ShouldBe(0);
        (await cache.GetAsync("a")).ShouldBeNull();
    }

    [Fact]
    public async Task Ttl_and_max_entries_bound_the_cache()
    {
        var options = await RedisFixture.SharedOptionsAsync();
        string p = RedisServer.NewPrefix();
        await using var cache = await RedisNearCache.ConnectAsync(options, new RedisNearCacheOptions { TimeToLive = TimeSpan.FromSeconds(1), MaxEntries = 50 });
        await cache.Client.SetAsync(p + "t", "v");
        await cache.GetAsync(p + "t");
        await cache.GetAsync(p + "t");
        cache.Misses.ShouldBe(1);
        await Task.Delay(1500);
        await cache.GetAsync(p + "t");
        cache.Misses.ShouldBe(2);

        for (int i = 0; i < 300; i++)
        {
            await cache.GetAsync(p + i.ToString(CultureInfo.InvariantCulture));
        }

        cache.Count.ShouldBeLessThanOrEqualTo(50);
        cache.Count.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Restart_flushes_the_cache_and_re_enables_tracking_before_serving_again()
    {
        await using var server = await RedisServer.StartAsync();
        var options = RedisOptions.Parse(server.Url);
        await using var cache = await RedisNearCache.ConnectAsync(options);
        await using var writer = await RedisClient.ConnectAsync(options);
        var invalidated = new ConcurrentQueue<string?>();
        cache.Invalidated += invalidated.Enqueue;
        await writer.SetAsync("price", "100");
        (await cache.GetAsync("price")).ShouldBe("100");

        server.Kill();
        await RedisFixture.EventuallyAsync(() => Task.FromResult(!cache.Client.IsConnected), "the cache notices the outage");
        // The connection reads as down a moment before the flush, and the flush notice comes through a channel after
        // it: wait for the notice, then the cache must be empty.
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(null)), "the flush is announced");
        cache.Count.ShouldBe(0);
        invalidated.ShouldContain((string?)null);

        await server.RestartAsync();
        await RedisFixture.EventuallyAsync(async () =>
        {
            try
            {
                await writer.SetAsync("price", "200");
                return true;
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        }, "the writer is back");

        // The value changed during the outage (the restarted server lost it, then it was written again).
        (await cache.GetAsync("price")).ShouldBe("200");

        // Tracking works on the new connection: a change made elsewhere evicts the entry.
        await writer.SetAsync("price", "300");
        await RedisFixture.EventuallyAsync(async () => await cache.GetAsync("price") == "300", "the new value is seen");
    }

    [Fact]
    public async Task Client_kill_of_the_tracking_connection_flushes_the_cache()
    {
        var options = await RedisFixture.SharedOptionsAsync();
        string key = RedisServer.NewPrefix() + "killed";
        await using var cache = await RedisNearCache.ConnectAsync(options);
        await using var admin = await RedisClient.ConnectAsync(options);
        await admin.SetAsync(key, "1");
        long id = (await cache.Client.ExecuteAsync("CLIENT", "ID")).AsInt64();
        (await cache.GetAsync(key)).ShouldBe("1");
        cache.Count.ShouldBe(1);
        await admin.ExecuteAsync("CLIENT", "KILL", "ID", id);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(cache.Count == 0), "the cache is flushed");
        await admin.SetAsync(key, "2");
        await RedisFixture.EventuallyAsync(async () =>
        {
            try
            {
                return await cache.GetAsync(key) == "2";
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        }, "the new value is read");
        var tracking = await cache.Client.ExecuteAsync("CLIENT", "TRACKINGINFO");
        tracking.Items[1].Items[0].AsString().ShouldBe("on");
    }

    [Fact]
    public async Task Invalidation_handlers_may_call_redis_without_deadlocking()
    {
        // redis-py #3470: invalidation processing must not hold anything the handler or the reader needs.
        var options = await RedisFixture.SharedOptionsAsync();
        string key = RedisServer.NewPrefix() + "reentrant";
        await using var cache = await RedisNearCache.ConnectAsync(options);
        await using var writer = await RedisClient.ConnectAsync(options);
        await writer.SetAsync(key, "1");
        await cache.GetAsync(key);
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.Invalidated += changed =>
        {
            if (changed == key)
            {
                // Blocking on the same connection from inside the handler.
                seen.TrySetResult(cache.GetAsync(key).AsTask().GetAwaiter().GetResult());
            }
        };
        await writer.SetAsync(key, "2");
        (await seen.Task.WaitAsync(TimeSpan.FromSeconds(20))).ShouldBe("2");
    }
}
