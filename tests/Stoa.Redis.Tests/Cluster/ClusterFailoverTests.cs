using System.Collections.Concurrent;
using System.Globalization;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Cluster;

/// <summary>
/// A primary killed (SIGKILL) under a running client, on a cluster of the test's own: its replica takes over after
/// the node timeout (2 s) and the client must carry on by itself, losing nothing it acknowledged and serving nothing
/// stale from its near-cache.
/// </summary>
public sealed class ClusterFailoverTests
{
    private static string S(int i) => i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Commands_recover_after_a_primary_dies_and_no_acknowledged_write_is_lost()
    {
        await using var cluster = await RedisClusterServer.StartAsync();
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        var victim = (await cluster.PrimariesAsync())[0];
        var victimTag = await ClusterFixture.TagOnAsync(cluster, victim);
        var acknowledged = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();

        // Each writer owns its keys and writes increasing numbers to them; a write counts as acknowledged once a replica
        // has it (WAIT), as a failover may lose what only the dead primary had. Half the keys live on the victim.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                string key = (w % 2 == 0 ? victimTag : string.Empty) + "w" + S(w) + ":k" + S(i % 50);
                try
                {
                    await client.SetAsync(key, S(i));
                    if (await client.WaitForReplicasAsync(key, 1, TimeSpan.FromSeconds(1)) >= 1)
                    {
                        acknowledged[key] = i;
                    }
                }
                catch (RedisException)
                {
                    // In flight when the primary died, or queued past its deadline: may or may not have run.
                }
            }
        })).ToArray();

        await RedisFixture.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= 100), "writes are acknowledged before the kill");
        int promoted = await cluster.KillPrimaryAndWaitForFailoverAsync(victim);
        int beforeRecovery = acknowledged.Count(e => e.Key.StartsWith(victimTag, StringComparison.Ordinal));
        await ClusterFixture.EventuallySucceedsAsync(async () => await client.SetAsync(victimTag + "probe", "x"), "the client writes to the victim's slots again");
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(writers);

        client.ClusterPrimaries.Select(p => p.Port).ShouldContain(promoted);
        client.ClusterPrimaries.Select(p => p.Port).ShouldNotContain(victim);
        foreach (var (key, number) in acknowledged)
        {
            // The last acknowledged write, or a later one of the same writer that was not acknowledged.
            int.Parse((await client.GetAsync(key))!, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(number, $"acknowledged write of {key}");
        }

        acknowledged.Keys.Count(k => k.StartsWith(victimTag, StringComparison.Ordinal)).ShouldBeGreaterThan(0);
        beforeRecovery.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_near_cache_serves_nothing_stale_after_a_failover_and_tracks_on_the_new_primary()
    {
        await using var cluster = await RedisClusterServer.StartAsync();
        var options = ClusterFixture.Options(cluster);
        await using var cache = await RedisNearCache.ConnectAsync(options);
        await using var writer = await RedisClient.ConnectAsync(options);
        var victim = (await cluster.PrimariesAsync())[0];
        var tag = await ClusterFixture.TagOnAsync(cluster, victim);
        string key = tag + "price";
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.Client.Reconnected += () => reconnected.TrySetResult();

        await writer.SetAsync(key, "100");
        await writer.WaitForReplicasAsync(key, 1, TimeSpan.FromSeconds(5));
        (await cache.GetAsync(key)).ShouldBe("100");
        (await cache.GetAsync(key)).ShouldBe("100");
        cache.Hits.ShouldBe(1);

        int promoted = await cluster.KillPrimaryAndWaitForFailoverAsync(victim);
        await ClusterFixture.EventuallySucceedsAsync(async () => await writer.SetAsync(key, "101"), "the writer reaches the promoted replica");
        (await cluster.CliAsync(promoted, "GET", key)).ShouldBe("101");

        (await cache.GetAsync(key)).ShouldBe("101", "the copy read from the dead primary was flushed");
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cache.Client.IsConnected.ShouldBeTrue();

        var invalidated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.Invalidated += k =>
        {
            if (k == key)
            {
                invalidated.TrySetResult();
            }
        };
        (await cache.GetAsync(key)).ShouldBe("101");
        await writer.SetAsync(key, "102");
        await invalidated.Task.WaitAsync(TimeSpan.FromSeconds(20));
        (await cache.GetAsync(key)).ShouldBe("102");
    }

    [Fact]
    public async Task Subscriptions_are_made_again_after_a_failover_with_a_gap_signal()
    {
        await using var cluster = await RedisClusterServer.StartAsync();
        var options = ClusterFixture.Options(cluster);
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);
        await using var publisher = await RedisClient.ConnectAsync(options);
        int victim = subscriber.PlainEndpoint.Port;
        int other = (await cluster.PrimariesAsync()).First(p => p != victim);
        string lost = await ClusterFixture.TagOnAsync(cluster, victim) + "doc";
        string kept = await ClusterFixture.TagOnAsync(cluster, other) + "doc";
        string plain = RedisServer.NewPrefix() + "news";
        var received = new ConcurrentQueue<string>();
        var gaps = new ConcurrentQueue<RedisSubscriptionGap>();
        subscriber.GapDetected += gaps.Enqueue;
        await subscriber.SSubscribeAsync(lost, m => received.Enqueue(m.Channel + " " + m.Message));
        await subscriber.SSubscribeAsync(kept, m => received.Enqueue(m.Channel + " " + m.Message));
        await subscriber.SubscribeAsync(plain, m => received.Enqueue(m.Channel + " " + m.Message));
        await publisher.SPublishAsync(lost, "before");
        await RedisFixture.EventuallyAsync(() => Task.FromResult(received.Count == 1), "the first message arrives");

        await cluster.KillPrimaryAndWaitForFailoverAsync(victim);
        await RedisFixture.EventuallyAsync(
            () => Task.FromResult(gaps.Any(g => g.Sharded && g.Channels.Contains(lost)) && gaps.Any(g => !g.Sharded && g.Channels.Contains(plain))),
            "both lapsed subscriptions are made again and reported", timeoutSeconds: 30);
        gaps.ShouldNotContain(g => g.Channels.Contains(kept), "the other shard's subscription never lapsed");

        await ClusterFixture.EventuallySucceedsAsync(async () => await publisher.SPublishAsync(lost, "after") == 1,
            "the publisher reaches the promoted replica, where the channel is subscribed");
        await publisher.SPublishAsync(kept, "still");
        await publisher.PublishAsync(plain, "plain after");
        await RedisFixture.EventuallyAsync(
            () => Task.FromResult(received.Contains(lost + " after") && received.Contains(kept + " still") && received.Contains(plain + " plain after")),
            "every subscription delivers after the failover");
    }
}
