using System.Globalization;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Cluster;

/// <summary>Routing and slot rules of a cluster-mode <see cref="RedisClient"/> on the shared 3+3 cluster (which these
/// tests do not change).</summary>
[Collection(ClusterFixture.RedirectCounters)]
public sealed class ClusterCommandTests
{
    private static string S(int i) => i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Each_command_goes_to_the_primary_that_owns_its_key()
    {
        var cluster = await RedisClusterServer.Shared;
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        var primaries = await cluster.PrimariesAsync();
        client.ClusterPrimaries.Select(p => p.Port).Order().ShouldBe(primaries);
        client.IsConnected.ShouldBeTrue();

        string p = RedisServer.NewPrefix();
        var keys = Enumerable.Range(0, 30).Select(i => p + ":k" + S(i)).ToList();
        await Task.WhenAll(keys.Select(k => client.SetAsync(k, "v-" + k).AsTask()));

        var nodes = await cluster.NodesAsync();
        var owners = new HashSet<int>();
        foreach (var key in keys)
        {
            int owner = nodes.Single(n => n.IsPrimary && n.Owns(RedisHashSlot.Of(key))).Port;
            owners.Add(owner);
            (await cluster.CliAsync(owner, "GET", key)).ShouldBe("v-" + key, $"{key} is stored on its slot's primary {owner}");
            (await client.GetAsync(key)).ShouldBe("v-" + key);
        }

        owners.Count.ShouldBe(3, "thirty keys spread over the three primaries");
        (await client.DelAsync(keys.Take(1).ToList())).ShouldBe(1);
        (await client.ExecuteAsync("EXISTS", keys[1])).AsInt64().ShouldBe(1);
        (await client.PingAsync()).ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task Keys_that_span_slots_are_refused_before_anything_is_sent()
    {
        var cluster = await RedisClusterServer.Shared;
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        string p = RedisServer.NewPrefix();
        string a = p + ":a";
        string b = p + ":b";
        while (RedisHashSlot.Of(a) == RedisHashSlot.Of(b))
        {
            b += "x";
        }

        int slotA = RedisHashSlot.Of(a);
        int slotB = RedisHashSlot.Of(b);
        void ShouldName(RedisCrossSlotException ex)
        {
            ex.Slots.ShouldBe([slotA, slotB]);
            ex.Message.ShouldContain(S(slotA));
            ex.Message.ShouldContain(S(slotB));
            ex.Message.ShouldContain("hash tag");
        }

        ShouldName(await Should.ThrowAsync<RedisCrossSlotException>(client.MGetAsync([a, b]).AsTask()));
        ShouldName(await Should.ThrowAsync<RedisCrossSlotException>(client.DelAsync([a, b]).AsTask()));
        ShouldName(await Should.ThrowAsync<RedisCrossSlotException>(client.ExecuteAsync("MSET", a, "1", b, "2").AsTask()));
        ShouldName(await Should.ThrowAsync<RedisCrossSlotException>(
            client.ScriptEvaluateAsync(new RedisScript("return redis.call('SET', KEYS[1], '1')"), [a, b]).AsTask()));

        var transaction = client.CreateTransaction();
        var setA = transaction.SetAsync(a, "1");
        _ = transaction.SetAsync(b, "2");
        ShouldName(await Should.ThrowAsync<RedisCrossSlotException>(transaction.ExecuteAsync()));
        await Should.ThrowAsync<RedisCrossSlotException>(setA);

        (await client.GetAsync(a)).ShouldBeNull("nothing of the refused commands ran");
        (await client.GetAsync(b)).ShouldBeNull();
    }

    [Fact]
    public async Task Keys_with_one_hash_tag_work_together_in_every_multi_key_form()
    {
        var cluster = await RedisClusterServer.Shared;
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        string tag = "{" + RedisServer.NewPrefix() + "}";
        string a = tag + ":a";
        string b = tag + ":b";

        var transaction = client.CreateTransaction();
        var setA = transaction.SetAsync(a, "1");
        var incr = transaction.IncrByAsync(b, 41);
        (await transaction.ExecuteAsync()).ShouldBeTrue();
        (await setA).ShouldBeTrue();
        (await incr).ShouldBe(41);
        (await client.MGetAsync([a, b])).ShouldBe(["1", "41"]);
        (await client.ScriptEvaluateAsync(new RedisScript("return redis.call('GET', KEYS[1]) .. redis.call('GET', KEYS[2])"), [a, b])).AsString().ShouldBe("141");
        (await client.ExecuteAsync("MSET", a, "x", b, "y")).IsError.ShouldBeFalse();
        (await client.DelAsync([a, b])).ShouldBe(2);
    }

    [Fact]
    public async Task Scripts_are_loaded_on_whichever_shard_runs_them()
    {
        var cluster = await RedisClusterServer.Shared;
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        var script = new RedisScript("return 'shard-" + RedisServer.NewPrefix() + "' .. (KEYS[1] or 'none')");
        var tags = await ClusterFixture.TagPerPrimaryAsync(cluster);
        foreach (var (port, tag) in tags)
        {
            (await cluster.CliAsync(port, "SCRIPT", "EXISTS", script.Sha1)).ShouldBe("0");
            (await client.ScriptEvaluateAsync(script, [tag + "k"])).AsString()!.ShouldEndWith(tag + "k");
            (await cluster.CliAsync(port, "SCRIPT", "EXISTS", script.Sha1)).ShouldBe("1", $"loaded on {port}, where it ran");
        }

        for (int i = 0; i < 10; i++)
        {
            (await client.ScriptEvaluateAsync(script)).AsString()!.ShouldEndWith("none");
        }
    }

    [Fact]
    public async Task Commands_given_by_name_are_routed_by_their_keys()
    {
        var cluster = await RedisClusterServer.Shared;
        await using var client = await RedisClient.ConnectAsync(ClusterFixture.Options(cluster));
        var tags = (await ClusterFixture.TagPerPrimaryAsync(cluster)).Values.ToList();

        // None of these may need a redirect to succeed for the test to be meaningful: the MOVED count stays put.
        var moved = await Task.WhenAll(cluster.Ports.Select(p => ClusterFixture.ErrorCountAsync(cluster, p, "MOVED")));
        foreach (string tag in tags)
        {
            (await client.ExecuteAsync("SET", tag + "s", "1")).IsError.ShouldBeFalse();
            (await client.ExecuteAsync("MSET", tag + "m1", "a", tag + "m2", "b")).IsError.ShouldBeFalse();
            (await client.ExecuteAsync("EVAL", "return redis.call('GET', KEYS[1])", 1, tag + "m1")).AsString().ShouldBe("a");
            (await client.ExecuteAsync("ZUNIONSTORE", tag + "dst", 2, tag + "z1", tag + "z2")).AsInt64().ShouldBe(0);
            (await client.ExecuteAsync("OBJECT", "ENCODING", tag + "s")).AsString().ShouldBe("int");
            (await client.ExecuteAsync("XADD", tag + "x", "*", "f", "v")).IsError.ShouldBeFalse();
            (await client.ExecuteAsync("XREAD", "COUNT", 1, "STREAMS", tag + "x", "0")).IsNull.ShouldBeFalse();
        }

        (await client.ExecuteAsync("PING")).AsString().ShouldBe("PONG");
        var after = await Task.WhenAll(cluster.Ports.Select(p => ClusterFixture.ErrorCountAsync(cluster, p, "MOVED")));
        after.ShouldBe(moved);
    }
}
