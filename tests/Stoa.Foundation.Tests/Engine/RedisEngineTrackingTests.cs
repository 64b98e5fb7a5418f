using System.Collections.Concurrent;
using System.Text;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Redis;
using Stoa.Redis;
using Stoa.Redis.Protocol;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Engine;

/// <summary>How the Redis engine feeds its near-cache from the tracking connection, in the orders a real server only
/// produces by chance: a scripted server (<see cref="FakeRedisServer"/>) makes them certain.</summary>
public sealed class RedisEngineTrackingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<RedisEngine> ConnectAsync(string url) => RedisEngine.ConnectAsync(url, null, TimeSpan.FromSeconds(10), Ct);

    private static Func<CancellationToken, ValueTask<string?>> Reader(RedisEngine engine, string key) =>
        async ct => await engine.GetAsync(key, ct) is { } value ? Encoding.UTF8.GetString(value) : null;

    [Fact]
    public async Task A_nodes_own_write_is_visible_before_the_servers_late_invalidation_arrives()
    {
        // rueidis #534: Redis sends the invalidation for a client's own write after the write's reply (redis#9422).
        // This server makes that gap 200 ms wide; a node that waited for it would serve its old copy meanwhile.
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
            return [FakeRedisServer.Ok, default, FakeRedisServer.Invalidation(command[1])];
        });
        await using var engine = await ConnectAsync(fake.Url);
        var load = Reader(engine, "k");
        store["k"] = "v0";
        (await engine.NearCache.GetOrLoadAsync("k", "", load, Ct)).ShouldBe("v0");
        engine.NearCache.TryGet("k", "", out string? _).ShouldBeTrue();

        await engine.SetAsync("k", "v1"u8.ToArray(), null, Ct);
        engine.NearCache.TryGet("k", "", out string? _).ShouldBeFalse("the write dropped the node's copy when it returned");
        (await engine.NearCache.GetOrLoadAsync("k", "", load, Ct)).ShouldBe("v1");
    }

    [Fact]
    public async Task An_invalidation_that_overtakes_the_reply_prevents_caching_it()
    {
        // Lettuce #3481: the invalidation for a key arrives before the older value read for it. It is applied on the
        // connection's reader before that reply is handed out, so the load that reads it finds its key invalidated.
        await using var fake = FakeRedisServer.InvalidatingFirstRead();
        await using var engine = await ConnectAsync(fake.Url);
        var invalidated = new ConcurrentQueue<string?>();
        engine.NearCache.Invalidated += invalidated.Enqueue;
        var read = Reader(engine, "k");
        var invalidationsAtReply = -1;
        async ValueTask<string?> Load(CancellationToken ct)
        {
            var value = await read(ct);
            invalidationsAtReply = invalidated.Count;
            return value;
        }

        (await engine.NearCache.GetOrLoadAsync("k", "", Load, Ct)).ShouldBe("old", "the caller gets what it read");
        invalidationsAtReply.ShouldBe(1, "the push was applied before the reply behind it was handed out");
        engine.NearCache.TryGet("k", "", out string? _).ShouldBeFalse("but it is not cached");
        (await engine.NearCache.GetOrLoadAsync("k", "", read, Ct)).ShouldBe("new");
        engine.NearCache.TryGet("k", "", out string? cached).ShouldBeTrue("a read the push did not overtake is cached");
        cached.ShouldBe("new");
    }

    [Fact]
    public async Task A_null_invalidation_flushes_the_near_cache()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var engine = await ConnectAsync(redis.Url);
        await using var admin = await RedisClient.ConnectAsync(redis.Url, Ct);
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.NearCache.Invalidated += key =>
        {
            if (key is null)
            {
                flushed.TrySetResult();
            }
        };
        await admin.SetAsync("a", "1", cancellationToken: Ct);
        await admin.SetAsync("b", "2", cancellationToken: Ct);
        (await engine.NearCache.GetOrLoadAsync("a", "", Reader(engine, "a"), Ct)).ShouldBe("1");
        (await engine.NearCache.GetOrLoadAsync("b", "", Reader(engine, "b"), Ct)).ShouldBe("2");
        engine.NearCache.Count.ShouldBe(2);

        await admin.ExecuteAsync("FLUSHALL");
        await flushed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        engine.NearCache.Count.ShouldBe(0);
        (await engine.NearCache.GetOrLoadAsync("a", "", Reader(engine, "a"), Ct)).ShouldBeNull();
    }
}
