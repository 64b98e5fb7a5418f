using System.Collections.Concurrent;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Cluster;

/// <summary>Tracking over a cluster: on every primary's connection, invalidations from every shard, and a flush signal
/// when any shard's connection is lost.</summary>
public sealed class ClusterTrackingTests
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
        await using var tracking = await RedisTracking.ConnectAsync(ClusterFixture.Options(cluster, name),
            new RedisTrackingOptions { Mode = mode, Prefixes = [.. tags.Values] });
        await using var writer = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        var invalidated = new ConcurrentQueue<string?>();
        tracking.Invalidated += invalidated.Enqueue;

        foreach (var (port, tag) in tags)
        {
            (await ClusterFixture.ClientFlagsAsync(cluster, port, name)).ShouldHaveSingleItem().ShouldContain('t', $"tracking is on for {port}");
            await writer.SetAsync(tag + "k", "v1");
        }

        if (mode == RedisTrackingMode.Broadcast)
        {
            // The first writes' broadcasts may trail the reads below: let them land before counting.
            await RedisFixture.EventuallyAsync(() => Task.FromResult(tags.Values.All(t => invalidated.Contains(t + "k"))), "the first broadcasts arrive");
        }

        foreach (string tag in tags.Values)
        {
            (await tracking.GetAsync(tag + "k")).ShouldBe("v1");
        }

        invalidated.Clear();
        foreach (string tag in tags.Values)
        {
            await writer.SetAsync(tag + "k", "v2");
        }

        await RedisFixture.EventuallyAsync(() => Task.FromResult(tags.Values.All(t => invalidated.Contains(t + "k"))), "each shard invalidates its key");
        invalidated.ShouldNotContain((string?)null);
    }

    [Fact]
    public async Task Losing_one_shards_connection_signals_a_flush_and_tracking_resumes_on_the_new_one()
    {
        var cluster = await RedisClusterServer.Shared;
        string name = "cache-" + RedisServer.NewPrefix();
        var tags = await ClusterFixture.TagPerPrimaryAsync(cluster);
        var options = ClusterFixture.Options(cluster, name);
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        await using var tracking = await RedisTracking.ConnectAsync(options);
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracking.Invalidated += key =>
        {
            if (key is null)
            {
                flushed.TrySetResult();
            }
        };

        foreach (string tag in tags.Values)
        {
            await client.SetAsync(tag + "k", "v1");
            (await tracking.GetAsync(tag + "k")).ShouldBe("v1");
        }

        // One signal for the whole cache, the other shards' keys included: keys are not remembered per shard, and
        // dropping everything is the simplest rule that is never stale.
        var (victim, victimTag) = tags.First();
        await ClusterFixture.KillClientsNamedAsync(cluster, victim, name);
        await flushed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Written while the invalidation channel of that shard was down: read on the new connection, and tracked there.
        await client.SetAsync(victimTag + "k", "v2");
        (await tracking.GetAsync(victimTag + "k")).ShouldBe("v2");
        (await ClusterFixture.ClientFlagsAsync(cluster, victim, name)).ShouldHaveSingleItem().ShouldContain('t', "the new connection tracks");

        var invalidated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracking.Invalidated += key =>
        {
            if (key == victimTag + "k")
            {
                invalidated.TrySetResult();
            }
        };
        await client.SetAsync(victimTag + "k", "v3");
        await invalidated.Task.WaitAsync(TimeSpan.FromSeconds(20));
        (await tracking.GetAsync(victimTag + "k")).ShouldBe("v3");
    }
}
