using System.Collections.Concurrent;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Cluster;

/// <summary>
/// Slots moving between primaries of the shared cluster while clients use them (CLUSTER SETSLOT … IMPORTING /
/// MIGRATING, MIGRATE, SETSLOT … NODE). Each test moves the slot of its own fresh hash tag, so other tests are not
/// disturbed; the tests of this class run one at a time, so the redirect counters they read are theirs.
/// </summary>
[Collection(ClusterFixture.RedirectCounters)]
public sealed class ClusterReshardingTests
{
    private static async Task<(RedisClusterServer Cluster, string Tag, int Slot, int Source, int Target)> FreshSlotAsync()
    {
        var cluster = await RedisClusterServer.Shared;
        var primaries = await cluster.PrimariesAsync();
        string tag = await ClusterFixture.TagOnAsync(cluster, primaries[0]);
        return (cluster, tag, RedisHashSlot.Of(tag), primaries[0], primaries[1]);
    }

    [Fact]
    public async Task Moved_after_a_migration_is_followed_once_and_the_map_updated()
    {
        var (cluster, tag, slot, source, target) = await FreshSlotAsync();
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        await client.SetAsync(tag + "a", "1");
        await client.SetAsync(tag + "b", "2");

        await cluster.MigrateSlotAsync(slot, target);
        (await cluster.PrimaryOfSlotAsync(slot)).ShouldBe(target);
        long movedBefore = await ClusterFixture.ErrorCountAsync(cluster, source, "MOVED");

        for (int i = 0; i < 20; i++)
        {
            (await client.GetAsync(tag + "a")).ShouldBe("1");
            (await client.GetAsync(tag + "b")).ShouldBe("2");
        }

        await client.SetAsync(tag + "c", "3");
        (await cluster.CliAsync(target, "GET", tag + "c")).ShouldBe("3", "the write went to the slot's new primary");
        (await ClusterFixture.ErrorCountAsync(cluster, source, "MOVED") - movedBefore).ShouldBe(1, "the first MOVED patched the map");
    }

    [Fact]
    public async Task The_map_is_refreshed_periodically_without_waiting_for_a_redirect()
    {
        var (cluster, tag, slot, source, target) = await FreshSlotAsync();
        var options = ClusterFixture.Options(cluster);
        options.ClusterRefreshInterval = TimeSpan.FromMilliseconds(200);
        await using var client = await RedisClient.ConnectAsync(options);
        await client.SetAsync(tag + "a", "1");
        client.ClusterOwnerOf(slot)!.Value.Port.ShouldBe(source);

        await cluster.MigrateSlotAsync(slot, target);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(client.ClusterOwnerOf(slot)!.Value.Port == target), "the periodic refresh sees the move");
        long movedBefore = await ClusterFixture.ErrorCountAsync(cluster, source, "MOVED");
        (await client.GetAsync(tag + "a")).ShouldBe("1");
        (await ClusterFixture.ErrorCountAsync(cluster, source, "MOVED")).ShouldBe(movedBefore, "the read went straight to the new primary");
    }

    [Fact]
    public async Task Ask_during_a_migration_sends_ASKING_and_the_command_to_the_target_without_changing_the_map()
    {
        var (cluster, tag, slot, source, target) = await FreshSlotAsync();
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        await client.SetAsync(tag + "moved", "m");
        await client.SetAsync(tag + "stays", "s");
        await client.SetAsync(tag + "moved2", "m2");
        await cluster.BeginSlotMigrationAsync(slot, target);
        await cluster.MigrateKeysAsync(slot, target, tag + "moved", tag + "moved2");
        long askBefore = await ClusterFixture.ErrorCountAsync(cluster, source, "ASK");

        (await client.GetAsync(tag + "moved")).ShouldBe("m", "read from the target after ASK");
        (await client.GetAsync(tag + "stays")).ShouldBe("s", "still served by the source");
        (await client.SetAsync(tag + "new", "n")).ShouldBeTrue("a key the source lacks is created on the target");
        (await ClusterFixture.ErrorCountAsync(cluster, source, "ASK") - askBefore).ShouldBe(2);
        (await client.GetAsync(tag + "stays")).ShouldBe("s", "ASK did not move the slot in the map");

        // A transaction whose keys have all moved follows the ASK as one block (ASKING holds through MULTI … EXEC).
        var moved = client.CreateTransaction();
        var first = moved.GetAsync(tag + "moved");
        var second = moved.SetAsync(tag + "moved2", "m2b");
        (await moved.ExecuteAsync()).ShouldBeTrue();
        (await first).ShouldBe("m");
        (await second).ShouldBeTrue();

        // One that would create a key on the importing target is refused there (TRYAGAIN) until the migration ends:
        // it is retried a few times, then the caller gets the error.
        var creating = client.CreateTransaction();
        _ = creating.GetAsync(tag + "moved");
        _ = creating.IncrByAsync(tag + "counter", 5);
        (await Should.ThrowAsync<RedisServerException>(creating.ExecuteAsync())).Prefix.ShouldBe("TRYAGAIN");

        // One that straddles the migration is not sent to the target: the target must not get a key the source holds.
        var straddling = client.CreateTransaction();
        _ = straddling.SetAsync(tag + "moved", "x");
        _ = straddling.SetAsync(tag + "stays", "y");
        (await Should.ThrowAsync<RedisServerException>(straddling.ExecuteAsync())).Message.ShouldContain("EXECABORT");
        (await cluster.CliAsync(target, "CLUSTER", "COUNTKEYSINSLOT", slot.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ShouldBe("3", "moved, moved2 and new; not stays, nor counter");

        await cluster.CompleteSlotMigrationAsync(slot, target);
        (await client.MGetAsync([tag + "moved", tag + "stays", tag + "new", tag + "moved2"])).ShouldBe(["m", "s", "n", "m2b"]);
    }

    [Theory]
    [InlineData(RedisTrackingMode.Default)]
    [InlineData(RedisTrackingMode.OptIn)]
    [InlineData(RedisTrackingMode.Broadcast)]
    public async Task A_tracked_key_whose_slot_moves_is_invalidated_then_read_and_tracked_on_its_new_primary(RedisTrackingMode mode)
    {
        var (cluster, tag, slot, _, target) = await FreshSlotAsync();
        var options = ClusterFixture.Options(cluster);
        await using var tracking = await RedisTracking.ConnectAsync(options, new RedisTrackingOptions { Mode = mode, Prefixes = [tag] });
        await using var writer = await RedisClient.ConnectAsync(options);
        var invalidated = new ConcurrentQueue<string?>();
        tracking.Invalidated += invalidated.Enqueue;
        string key = tag + "price";
        await writer.SetAsync(key, "100");
        if (mode == RedisTrackingMode.Broadcast)
        {
            // The write's broadcast may trail the read below: let it land, so that only the migration's counts next.
            await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(key)), "the first broadcast arrives");
        }

        (await tracking.GetAsync(key)).ShouldBe("100");
        invalidated.Clear();

        // MIGRATE deletes the key on the source, which invalidates it there.
        await cluster.MigrateSlotAsync(slot, target);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(key) || invalidated.Contains(null)), "the source invalidates the moved key");

        await writer.SetAsync(key, "101");
        await RedisFixture.EventuallyAsync(async () => await tracking.GetAsync(key) == "101", "the new value is read from the new primary");
        invalidated.Clear();
        await writer.SetAsync(key, "102");
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(key)), "the new primary tracks the key and invalidates it");
        (await tracking.GetAsync(key)).ShouldBe("102");
    }

    [Fact]
    public async Task A_sharded_channel_whose_slot_moves_is_subscribed_again_on_the_new_primary_with_a_gap()
    {
        var (cluster, tag, slot, source, target) = await FreshSlotAsync();
        var options = ClusterFixture.Options(cluster);
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);
        await using var publisher = await RedisClient.ConnectAsync(options);
        var received = new ConcurrentQueue<string>();
        var gaps = new ConcurrentQueue<RedisSubscriptionGap>();
        subscriber.GapDetected += gaps.Enqueue;
        subscriber.Reconnected += () => received.Enqueue("<gap>");
        await subscriber.SSubscribeAsync(tag + "doc", m => received.Enqueue(m.Message));
        (await publisher.SPublishAsync(tag + "doc", "before")).ShouldBe(1);

        // SETSLOT … NODE on the source makes it send sunsubscribe to the slot's subscribers.
        await cluster.MigrateSlotAsync(slot, target);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(!gaps.IsEmpty), "the lapsed subscription is made again and reported");
        var gap = gaps.Single();
        gap.Sharded.ShouldBeTrue();
        gap.Channels.ShouldBe([tag + "doc"]);

        (await cluster.CliAsync(target, "PUBSUB", "SHARDNUMSUB", tag + "doc")).Split('\n')[1].Trim().ShouldBe("1");
        (await cluster.CliAsync(source, "PUBSUB", "SHARDNUMSUB", tag + "doc")).Split('\n')[1].Trim().ShouldBe("0");
        (await publisher.SPublishAsync(tag + "doc", "after")).ShouldBe(1);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(received.Contains("after")), "messages flow on the new primary");
        received.ShouldBe(["before", "<gap>", "after"]);
    }
}
