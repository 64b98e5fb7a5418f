using System.Collections.Concurrent;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Cluster;

/// <summary>Pub/sub of a cluster-mode <see cref="RedisSubscriber"/> on the shared cluster (not changed here).</summary>
public sealed class ClusterPubSubTests
{
    [Fact]
    public async Task A_sharded_channel_is_subscribed_on_the_shard_that_owns_its_slot_only()
    {
        var cluster = await RedisClusterServer.Shared;
        var options = ClusterFixture.Options(cluster);
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);
        await using var publisher = await RedisClient.ConnectAsync(options);
        var tags = await ClusterFixture.TagPerPrimaryAsync(cluster);
        var received = new ConcurrentQueue<RedisChannelMessage>();
        foreach (string tag in tags.Values)
        {
            await subscriber.SSubscribeAsync(tag + "chan", received.Enqueue);
        }

        foreach (var (port, tag) in tags)
        {
            foreach (int node in cluster.Ports)
            {
                // PUBSUB SHARDNUMSUB counts the subscribers a node holds; only the owner's count is 1.
                var count = (await cluster.CliAsync(node, "PUBSUB", "SHARDNUMSUB", tag + "chan")).Split('\n')[1].Trim();
                count.ShouldBe(node == port ? "1" : "0", $"{tag}chan on node {node}");
            }

            (await publisher.SPublishAsync(tag + "chan", "to " + tag)).ShouldBe(1);
        }

        await RedisFixture.EventuallyAsync(() => Task.FromResult(received.Count == 3), "a message per shard arrives");
        received.Select(m => m.Message).Order().ShouldBe(tags.Values.Select(t => "to " + t).Order());
        received.ShouldAllBe(m => m.IsSharded && m.Pattern == null);

        string first = tags.Values.First();
        await subscriber.SUnsubscribeAsync(first + "chan");
        (await publisher.SPublishAsync(first + "chan", "gone")).ShouldBe(0);
    }

    [Fact]
    public async Task Plain_subscriptions_receive_what_any_node_publishes()
    {
        var cluster = await RedisClusterServer.Shared;
        var options = ClusterFixture.Options(cluster);
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);
        await using var publisher = await RedisClient.ConnectAsync(options);
        string p = RedisServer.NewPrefix();
        var received = new ConcurrentQueue<string>();
        await subscriber.SubscribeAsync(p + "news", m => received.Enqueue(m.Message));
        await subscriber.PSubscribeAsync(p + "quotes.*", m => received.Enqueue(m.Pattern + " " + m.Message));

        // Keyless PUBLISH goes to the primaries in turn; the cluster bus brings each to the subscribed node (so messages
        // published through different nodes may arrive in another order).
        for (int i = 0; i < 6; i++)
        {
            await publisher.PublishAsync(p + "news", "n" + i);
        }

        await cluster.CliAsync(cluster.Ports[5], "PUBLISH", p + "quotes.AAPL", "from a replica");
        await RedisFixture.EventuallyAsync(() => Task.FromResult(received.Count == 7), "every message arrives");
        received.Where(m => m.StartsWith('n')).ShouldBe(Enumerable.Range(0, 6).Select(i => "n" + i), ignoreOrder: true);
        received.ShouldContain(p + "quotes.* from a replica");
    }
}
