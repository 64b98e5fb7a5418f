using System.Collections.Concurrent;
using System.Text;
using Stoa.Redis.Protocol;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Cluster;

/// <summary>Cluster replies a real cluster will not produce on demand (endless redirects, broken maps), played by fake
/// nodes: the client must end up with a clear error, never a loop or a hang.</summary>
public sealed class ClusterFakeServerTests
{
    private static RespValue S(string text) => RespValue.BulkString(text);

    private static RespValue Error(string text) => RespValue.FromBytes(RespType.SimpleError, Encoding.UTF8.GetBytes(text));

    private static RespValue Ok => RespValue.FromBytes(RespType.SimpleString, "OK"u8.ToArray());

    /// <summary>CLUSTER SHARDS naming one primary on <paramref name="port"/> for every slot.</summary>
    private static RespValue OneShard(int port) => RespValue.FromAggregate(RespType.Array,
    [
        RespValue.FromAggregate(RespType.Map,
        [
            S("slots"), RespValue.FromAggregate(RespType.Array, [RespValue.FromInteger(0), RespValue.FromInteger(16383)]),
            S("nodes"), RespValue.FromAggregate(RespType.Array,
            [
                RespValue.FromAggregate(RespType.Map,
                [
                    S("id"), S("fake"), S("port"), RespValue.FromInteger(port), S("ip"), S("127.0.0.1"),
                    S("endpoint"), S("127.0.0.1"), S("role"), S("master"), S("health"), S("online"),
                ]),
            ]),
        ]),
    ]);

    /// <summary>A fake node that owns every slot and answers other commands as <paramref name="answer"/> says.</summary>
    private static FakeRedisServer Node(Func<string[], IEnumerable<RespValue>> answer)
    {
        FakeRedisServer? node = null;
        node = new FakeRedisServer(command => FakeRedisServer.Handshake(command)
            ?? (command[0] == "CLUSTER" ? [OneShard(node!.Port)] : answer(command)));
        return node;
    }

    private static RedisOptions Options(FakeRedisServer seed)
    {
        var options = RedisOptions.Parse(seed.Url + "?cluster=true");
        options.CommandTimeout = TimeSpan.FromSeconds(5);
        return options;
    }

    [Fact]
    public async Task A_redirect_loop_ends_after_MaxRedirects_with_the_redirect_as_the_error()
    {
        int gets = 0;
        int port = 0;
        await using var node = Node(command =>
        {
            if (command[0] != "GET")
            {
                return [];
            }

            Interlocked.Increment(ref gets);
            return [Error($"MOVED {RedisHashSlot.Of(command[1])} 127.0.0.1:{port}")];
        });
        port = node.Port;
        var options = Options(node);
        await using var client = await RedisClient.ConnectAsync(options);

        (await Should.ThrowAsync<RedisServerException>(client.GetAsync("k").AsTask())).Prefix.ShouldBe("MOVED");
        gets.ShouldBe(options.MaxRedirects + 1);
    }

    [Fact]
    public async Task Ask_sends_ASKING_and_the_command_as_one_block_to_the_target_and_leaves_the_map()
    {
        var targetLog = new ConcurrentQueue<string>();
        string? previous = null;
        await using var target = new FakeRedisServer(command =>
        {
            targetLog.Enqueue(command[0]);
            var reply = FakeRedisServer.Handshake(command) ?? command[0] switch
            {
                "ASKING" => [Ok],
                "GET" when previous == "ASKING" => [S("from the target")],
                "GET" => [Error("MOVED 1 127.0.0.1:1")],
                _ => [],
            };
            previous = command[0];
            return reply;
        });
        int sourceGets = 0;
        await using var source = Node(command =>
        {
            if (command[0] != "GET")
            {
                return [];
            }

            Interlocked.Increment(ref sourceGets);
            return [Error($"ASK {RedisHashSlot.Of(command[1])} 127.0.0.1:{target.Port}")];
        });
        await using var client = await RedisClient.ConnectAsync(Options(source));

        (await client.GetAsync("k")).ShouldBe("from the target");
        (await client.GetAsync("k")).ShouldBe("from the target");
        sourceGets.ShouldBe(2, "ASK does not change the map: each read asks the source first");
        targetLog.Where(c => c is "ASKING" or "GET").ShouldBe(["ASKING", "GET", "ASKING", "GET"]);
    }

    [Theory]
    [InlineData("+OK", "Expected an aggregate")]
    [InlineData("-ERR This instance has cluster support disabled", "cluster support disabled")]
    public async Task A_seed_that_gives_no_usable_map_fails_the_connect_naming_why(string reply, string reason)
    {
        var answer = reply[0] == '+' ? RespValue.FromBytes(RespType.SimpleString, Encoding.UTF8.GetBytes(reply[1..])) : Error(reply[1..]);
        await using var seed = new FakeRedisServer(command => FakeRedisServer.Handshake(command) ?? (command[0] == "CLUSTER" ? [answer] : []));

        var error = await Should.ThrowAsync<RedisConnectionException>(RedisClient.ConnectAsync(Options(seed)));
        error.Message.ShouldContain("Could not read the Redis Cluster map");
        error.Message.ShouldContain(reason);
        await Should.ThrowAsync<RedisConnectionException>(RedisSubscriber.ConnectAsync(Options(seed)));
    }
}
