using Stoa.Redis.Protocol;
using Stoa.Testing;

namespace Stoa.Redis.Tests;

public sealed class CommandTests
{
    [Fact]
    public async Task Strings_get_set_with_expiry_and_conditions()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        string p = RedisServer.NewPrefix();

        (await client.GetAsync(p + "missing")).ShouldBeNull();
        (await client.SetAsync(p + "a", "héllo")).ShouldBeTrue();
        (await client.GetAsync(p + "a")).ShouldBe("héllo");
        (await client.SetAsync(p + "a", "other", condition: SetCondition.IfNotExists)).ShouldBeFalse();
        (await client.SetAsync(p + "b", "x", condition: SetCondition.IfExists)).ShouldBeFalse();
        (await client.SetAsync(p + "b", "x", condition: SetCondition.IfNotExists)).ShouldBeTrue();
        (await client.SetAsync(p + "b", "y", condition: SetCondition.IfExists)).ShouldBeTrue();
        (await client.GetAsync(p + "b")).ShouldBe("y");

        (await client.SetAsync(p + "bytes", new byte[] { 0, 1, 255 }, TimeSpan.FromSeconds(100))).ShouldBeTrue();
        (await client.GetBytesAsync(p + "bytes")).ShouldBe(new byte[] { 0, 1, 255 });
        (await client.ExecuteAsync("PTTL", p + "bytes")).AsInt64().ShouldBeInRange(1, 100_000);

        (await client.MGetAsync([p + "a", p + "missing", p + "b"])).ShouldBe(["héllo", null, "y"]);
        (await client.IncrByAsync(p + "n", 5)).ShouldBe(5);
        (await client.IncrByAsync(p + "n", -2)).ShouldBe(3);
        (await client.ExpireAsync(p + "n", TimeSpan.FromSeconds(50))).ShouldBeTrue();
        (await client.ExecuteAsync("TTL", p + "n")).AsInt64().ShouldBeInRange(1, 50);
        (await client.PExpireAsync(p + "n", TimeSpan.FromMilliseconds(50_000))).ShouldBeTrue();
        (await client.PExpireAsync(p + "nothing", TimeSpan.FromSeconds(1))).ShouldBeFalse();
        (await client.DelAsync(p + "a", p + "b", p + "missing")).ShouldBe(2);

        await client.SetAsync(p + "short", "v", TimeSpan.FromMilliseconds(50));
        await RedisFixture.EventuallyAsync(async () => await client.GetAsync(p + "short") is null, "the key expires");
    }

    [Fact]
    public async Task Server_errors_throw_with_their_prefix_and_leave_the_connection_usable()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        string p = RedisServer.NewPrefix();
        await client.SetAsync(p + "s", "text");
        var error = await Should.ThrowAsync<RedisServerException>(async () => await client.IncrByAsync(p + "s", 1));
        error.Prefix.ShouldBe("ERR");
        await client.HSetAsync(p + "h", "f", "v");
        (await Should.ThrowAsync<RedisServerException>(async () => await client.GetAsync(p + "h"))).Prefix.ShouldBe("WRONGTYPE");
        (await client.GetAsync(p + "s")).ShouldBe("text");

        var raw = await client.ExecuteAsync("NOSUCHCOMMAND");
        raw.IsError.ShouldBeTrue();
    }

    [Fact]
    public async Task Hashes()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        string key = RedisServer.NewPrefix() + "h";
        (await client.HSetAsync(key, "a", "1")).ShouldBeTrue();
        (await client.HSetAsync(key, "a", "2")).ShouldBeFalse();
        (await client.HSetAsync(key, new Dictionary<string, string> { ["b"] = "x", ["c"] = "y" })).ShouldBe(2);
        (await client.HGetAsync(key, "a")).ShouldBe("2");
        (await client.HGetAsync(key, "zz")).ShouldBeNull();
        (await client.HIncrByAsync(key, "n", 7)).ShouldBe(7);
        var all = await client.HGetAllAsync(key);
        all.Count.ShouldBe(4);
        all["b"].ShouldBe("x");
        (await client.HDelAsync(key, ["a", "b", "missing"])).ShouldBe(2);
        (await client.HGetAllAsync(key + "none")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Sorted_sets_with_score_and_lex_ranges()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        string key = RedisServer.NewPrefix() + "z";
        (await client.ZAddAsync(key, "a", 1)).ShouldBeTrue();
        (await client.ZAddAsync(key, "a", 1.5)).ShouldBeFalse();
        (await client.ZAddAsync(key, [new SortedSetEntry("b", 2), new SortedSetEntry("c", 3), new SortedSetEntry("d", 4)])).ShouldBe(3);
        (await client.ZScoreAsync(key, "a")).ShouldBe(1.5);
        (await client.ZScoreAsync(key, "none")).ShouldBeNull();
        (await client.ZCardAsync(key)).ShouldBe(4);

        (await client.ZRangeAsync(key, "0", "-1")).ShouldBe(["a", "b", "c", "d"]);
        (await client.ZRangeAsync(key, "(1.5", "+inf", ZRangeBy.Score)).ShouldBe(["b", "c", "d"]);
        (await client.ZRangeAsync(key, "+inf", "-inf", ZRangeBy.Score, reverse: true, offset: 1, count: 2)).ShouldBe(["c", "b"]);
        (await client.ZRangeWithScoresAsync(key, "2", "3", ZRangeBy.Score)).ShouldBe([new SortedSetEntry("b", 2), new SortedSetEntry("c", 3)]);
        (await client.ZRangeWithScoresAsync(key, "+inf", "-inf", ZRangeBy.Score, reverse: true, offset: 0, count: 1)).ShouldBe([new SortedSetEntry("d", 4)]);

        string lex = key + "lex";
        await client.ZAddAsync(lex, [new SortedSetEntry("apple", 0), new SortedSetEntry("banana", 0), new SortedSetEntry("cherry", 0)]);
        (await client.ZRangeAsync(lex, "[b", "+", ZRangeBy.Lex)).ShouldBe(["banana", "cherry"]);
        (await client.ZRangeAsync(lex, "+", "-", ZRangeBy.Lex, reverse: true, offset: 0, count: 2)).ShouldBe(["cherry", "banana"]);

        (await client.ZRemAsync(key, ["a", "zz"])).ShouldBe(1);
        (await client.ZCardAsync(key)).ShouldBe(3);
    }

    [Fact]
    public async Task Script_runs_with_evalsha_and_reloads_after_script_flush()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        string key = RedisServer.NewPrefix() + "counter";
        var script = new RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
        (await client.ScriptLoadAsync(script)).ShouldBe(script.Sha1);
        (await client.ScriptEvaluateAsync(script, [key], [5])).AsInt64().ShouldBe(5);

        (await client.ExecuteAsync("SCRIPT", "FLUSH")).AsString().ShouldBe("OK");
        (await client.ExecuteAsync("EVALSHA", script.Sha1, 0)).ShouldSatisfyAllConditions(r => r.IsError.ShouldBeTrue(), r => r.AsString()!.ShouldStartWith("NOSCRIPT"));

        // NOSCRIPT: loaded and retried once, run exactly once.
        (await client.ScriptEvaluateAsync(script, [key], [2])).AsInt64().ShouldBe(7);
        (await client.GetAsync(key)).ShouldBe("7");

        var fresh = new RedisScript($"return '{Guid.NewGuid():N}'");
        (await client.ScriptEvaluateAsync(fresh)).AsString()!.Length.ShouldBe(32);

        var failing = new RedisScript("return redis.error_reply('MYERR custom')");
        (await Should.ThrowAsync<RedisServerException>(async () => await client.ScriptEvaluateAsync(failing))).Prefix.ShouldBe("MYERR");
    }

    [Fact]
    public async Task Transaction_results_and_errors()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        string p = RedisServer.NewPrefix();
        var tx = client.CreateTransaction();
        var set = tx.SetAsync(p + "k", "1");
        var incr = tx.IncrByAsync(p + "k", 10);
        var get = tx.GetAsync(p + "k");
        var wrongType = tx.HSetAsync(p + "k", "f", "v");
        var raw = tx.AddAsync("ECHO", "hi");
        (await tx.ExecuteAsync()).ShouldBeTrue();
        (await set).ShouldBeTrue();
        (await incr).ShouldBe(11);
        (await get).ShouldBe("11");
        (await Should.ThrowAsync<RedisServerException>(wrongType)).Prefix.ShouldBe("WRONGTYPE");
        (await raw).AsString().ShouldBe("hi");

        var aborted = client.CreateTransaction();
        var never = aborted.IncrByAsync(p + "k2", 1);
        _ = aborted.AddAsync("NOSUCHCOMMAND");
        (await Should.ThrowAsync<RedisServerException>(() => aborted.ExecuteAsync())).Prefix.ShouldBe("EXECABORT");
        await Should.ThrowAsync<RedisServerException>(never);
        (await client.GetAsync(p + "k2")).ShouldBeNull();
    }

    [Fact]
    public async Task Transactions_are_atomic_under_concurrency()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        string p = RedisServer.NewPrefix();

        // Each transaction moves one unit from a to b; concurrent plain readers must never see the sum off, and
        // other callers' commands are interleaved on the same connection all the time.
        await client.SetAsync(p + "a", "1000");
        await client.SetAsync(p + "b", "0");
        var transfers = Enumerable.Range(0, 200).Select(async _ =>
        {
            var tx = client.CreateTransaction();
            var a = tx.IncrByAsync(p + "a", -1);
            var b = tx.IncrByAsync(p + "b", 1);
            (await tx.ExecuteAsync()).ShouldBeTrue();
            ((await a) + (await b)).ShouldBe(1000);
        });
        var readers = Enumerable.Range(0, 200).Select(async _ =>
        {
            var check = client.CreateTransaction();
            var a = check.GetAsync(p + "a");
            var b = check.GetAsync(p + "b");
            await check.ExecuteAsync();
            (long.Parse(await a ?? "0", System.Globalization.CultureInfo.InvariantCulture) + long.Parse(await b ?? "0", System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(1000);
            await client.IncrByAsync(p + "noise", 1);
        });
        await Task.WhenAll(transfers.Concat(readers));
        (await client.GetAsync(p + "a")).ShouldBe("800");
        (await client.GetAsync(p + "b")).ShouldBe("200");
    }

    [Fact]
    public async Task Execute_returns_raw_resp3_values()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        string p = RedisServer.NewPrefix();
        await client.HSetAsync(p + "h", "f", "v");
        var map = await client.ExecuteAsync("HGETALL", p + "h");
        map.Type.ShouldBe(RespType.Map);
        var hello = await client.ExecuteAsync("HELLO", "3");
        hello.Type.ShouldBe(RespType.Map);
        (await client.ExecuteAsync("ECHO", new byte[] { 1, 2 })).AsBytes().ShouldBe(new byte[] { 1, 2 });
        (await client.ExecuteAsync("INCRBYFLOAT", p + "f", 1.5)).AsDouble().ShouldBe(1.5);
        await client.ZAddAsync(p + "z", "m", 2.5);
        (await client.ExecuteAsync("ZSCORE", p + "z", "m")).Type.ShouldBe(RespType.Double);
        (await client.PingAsync()).ShouldBeGreaterThan(TimeSpan.Zero);
    }
}
