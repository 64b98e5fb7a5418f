using System.Collections.Concurrent;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Cluster;

/// <summary>Client-side caching over a cluster: tracking on every primary's connection, invalidations from every shard,
/// and the whole cache flushed when any shard's connection is lost.</summary>
public sealed class ClusterNearCacheTests
{
    [Theory]
    [InlineData(RedisTrackingMode.Default)]
    [InlineData(RedisTrackingMode.OptIn)]
    [InlineData(RedisTrackingMode.Broadcast)]
    public async Task Every_primary_tracks_what_was_read_from_it_and_invalidates_it(RedisTrackingMode mode)
    {
        var cluster = await RedisClusterServer.Shared;
        string name = "cache-" + RedisServer.NewPrefix();
        var tags = await ClusterFixture.TagPerPrimaryAsync(cluster);
        await using var cache = await RedisNearCache.ConnectAsync(ClusterFixture.Options(cluster, name),
            new RedisNearCacheOptions { Mode = mode, Prefixes = [.. tags.Values] });
        await using var writer = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        var invalidated = new ConcurrentQueue<string?>();
        cache.Invalidated += invalidated.Enqueue;

        foreach (var (port, tag) in tags)
        {
            (await ClusterFixture.ClientFlagsAsync(cluster, port, name)).ShouldHaveSingleItem().ShouldContain('t', $"tracking is on for {port}");
            await writer.SetAsync(tag + "k", "v1");
        }

        foreach (string tag in tags.Values)
        {
            await RedisFixture.EventuallyAsync(async () => await cache.GetAsync(tag + "k") == "v1", "the first value is cached");
        }

        long misses = cache.Misses;
        foreach (string tag in tags.Values)
        {
            (await cache.GetAsync(tag + "k")).ShouldBe("v1");
        }

        cache.Misses.ShouldBe(misses, "served from memory");
        invalidated.Clear();
        foreach (string tag in tags.Values)
        {
            await writer.SetAsync(tag + "k", "v2");
        }

        await RedisFixture.EventuallyAsync(() => Task.FromResult(tags.Values.All(t => invalidated.Contains(t + "k"))), "each shard invalidates its key");
        foreach (string tag in tags.Values)
        {
            (await cache.GetAsync(tag + "k")).ShouldBe("v2");
        }
    }

    [Fact]
    public async Task Losing_one_shards_connection_flushes_the_whole_cache_and_tracking_resumes_on_the_new_one()
    {
        var cluster = await RedisClusterServer.Shared;
        string name = "cache-" + RedisServer.NewPrefix();
        var tags = await ClusterFixture.TagPerPrimaryAsync(cluster);
        var options = ClusterFixture.Options(cluster, name);
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        await using var cache = await RedisNearCache.ConnectAsync(options);
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.Invalidated += key =>
        {
            if (key is null)
            {
                flushed.TrySetResult();
            }
        };

        foreach (string tag in tags.Values)
        {
            await cache.SetAsync(tag + "k", "v1");
            (await cache.GetAsync(tag + "k")).ShouldBe("v1");
        }

        cache.Count.ShouldBe(3);
        var (victim, victimTag) = tags.First();
        await ClusterFixture.KillClientsNamedAsync(cluster, victim, name);
        await flushed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        cache.Count.ShouldBe(0, "the keys of the other shards are flushed too (simplest rule that is never stale)");

        // Written while the invalidation channel of that shard was down: the old value must not come back.
        await client.SetAsync(victimTag + "k", "v2");
        (await cache.GetAsync(victimTag + "k")).ShouldBe("v2");
        (await ClusterFixture.ClientFlagsAsync(cluster, victim, name)).ShouldHaveSingleItem().ShouldContain('t', "the new connection tracks");

        var invalidated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.Invalidated += key =>
        {
            if (key == victimTag + "k")
            {
                invalidated.TrySetResult();
            }
        };
        await client.SetAsync(victimTag + "k", "v3");
        await invalidated.Task.WaitAsync(TimeSpan.FromSeconds(20));
        (await cache.GetAsync(victimTag + "k")).ShouldBe("v3");
    }
}
