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
        await RedisFixture.EventuallySucceedsAsync(async () => await client.SetAsync(victimTag + "probe", "x"), "the client writes to the victim's slots again");
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
    public async Task Tracking_flushes_what_was_read_from_a_dead_primary_and_tracks_on_the_promoted_replica()
    {
        await using var cluster = await RedisClusterServer.StartAsync();
        var options = ClusterFixture.Options(cluster);
        await using var tracking = await RedisTracking.ConnectAsync(options);
        await using var writer = await RedisClient.ConnectAsync(options);
        var victim = (await cluster.PrimariesAsync())[0];
        var tag = await ClusterFixture.TagOnAsync(cluster, victim);
        string key = tag + "price";
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracking.Client.Reconnected += () => reconnected.TrySetResult();
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var invalidated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracking.Invalidated += k =>
        {
            if (k is null)
            {
                flushed.TrySetResult();
            }
            else if (k == key && reconnected.Task.IsCompleted)
            {
                invalidated.TrySetResult();
            }
        };

        await writer.SetAsync(key, "100");
        await writer.WaitForReplicasAsync(key, 1, TimeSpan.FromSeconds(5));
        (await tracking.GetAsync(key)).ShouldBe("100");

        int promoted = await cluster.KillPrimaryAndWaitForFailoverAsync(victim);
        await RedisFixture.EventuallySucceedsAsync(async () => await writer.SetAsync(key, "101"), "the writer reaches the promoted replica");
        (await cluster.CliAsync(promoted, "GET", key)).ShouldBe("101");

        (await tracking.GetAsync(key)).ShouldBe("101");
        flushed.Task.IsCompleted.ShouldBeTrue("the copy read from the dead primary was flushed before the promoted replica answered");
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        tracking.Client.IsConnected.ShouldBeTrue();

        (await tracking.GetAsync(key)).ShouldBe("101");
        await writer.SetAsync(key, "102");
        await invalidated.Task.WaitAsync(TimeSpan.FromSeconds(20));
        (await tracking.GetAsync(key)).ShouldBe("102");
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

        await RedisFixture.EventuallySucceedsAsync(async () => await publisher.SPublishAsync(lost, "after") == 1,
            "the publisher reaches the promoted replica, where the channel is subscribed");
        await publisher.SPublishAsync(kept, "still");
        await publisher.PublishAsync(plain, "plain after");
        await RedisFixture.EventuallyAsync(
            () => Task.FromResult(received.Contains(lost + " after") && received.Contains(kept + " still") && received.Contains(plain + " plain after")),
            "every subscription delivers after the failover");
    }
}
