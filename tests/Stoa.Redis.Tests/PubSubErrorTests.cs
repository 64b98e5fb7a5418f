using System.Runtime.CompilerServices;
using Stoa.Redis.Protocol;
using Stoa.Testing;

namespace Stoa.Redis.Tests;

/// <summary>Subscription commands answer with push frames when they succeed and with an error reply when they fail, so
/// a failed one must not shift every later reply by one.</summary>
public sealed class PubSubErrorTests
{
    private static RespValue Push(params string[] items)
        => RespValue.FromAggregate(RespType.Push, [.. items.Select(RespValue.BulkString)]);

    private static RespValue Error(string message) => RespValue.FromBytes(RespType.SimpleError, System.Text.Encoding.UTF8.GetBytes(message));

    private static RespValue Pong => RespValue.FromBytes(RespType.SimpleString, "PONG"u8.ToArray());

    /// <summary>A fake server answering PING and the handshake, and everything else as <paramref name="answer"/>
    /// says; counts the connections it accepted (HELLO).</summary>
    private static FakeRedisServer Fake(StrongBox<int> hellos, Func<string[], IEnumerable<RespValue>> answer) => new(command =>
    {
        if (command[0] == "HELLO")
        {
            Interlocked.Increment(ref hellos.Value);
        }

        return FakeRedisServer.Handshake(command) ?? (command[0] == "PING" ? [Pong] : answer(command));
    });

    [Fact]
    public async Task A_refused_subscription_throws_and_the_connection_stays_in_step()
    {
        var hellos = new StrongBox<int>();
        await using var fake = Fake(hellos, command => command[0] switch
        {
            "SSUBSCRIBE" => [Error("MOVED 866 127.0.0.1:1")],
            "SUBSCRIBE" => [Push("subscribe", command[1], "1")],
            "PSUBSCRIBE" => [Error("NOPERM this user has no permissions to access one of the channels")],
            _ => [],
        });
        await using var subscriber = await RedisSubscriber.ConnectAsync(fake.Url);

        (await Should.ThrowAsync<RedisServerException>(subscriber.SSubscribeAsync("s", _ => { }))).Prefix.ShouldBe("MOVED");
        await subscriber.SubscribeAsync("a", _ => { });
        (await Should.ThrowAsync<RedisServerException>(subscriber.PSubscribeAsync("p*", _ => { }))).Prefix.ShouldBe("NOPERM");
        await subscriber.SubscribeAsync("b", _ => { });
        hellos.Value.ShouldBe(1, "no reconnect was needed to get back in step");
    }

    [Fact]
    public async Task More_error_replies_than_commands_close_the_connection_instead_of_shifting_replies()
    {
        var hellos = new StrongBox<int>();
        await using var fake = Fake(hellos, command => command[0] switch
        {
            "SUBSCRIBE" when command[1] == "hostile" => [Error("ERR one"), Error("ERR two")],
            "SUBSCRIBE" => [Push("subscribe", command[1], "1")],
            _ => [],
        });
        var options = RedisOptions.Parse(fake.Url);
        options.ReconnectMinDelay = TimeSpan.FromMilliseconds(10);
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);

        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.Reconnected += () => reconnected.TrySetResult();
        await Should.ThrowAsync<RedisConnectionException>(subscriber.SubscribeAsync("hostile", _ => { }));
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // A reconnect that races the failed call may make "hostile" once more (one more reconnect); after that the
        // failed subscription is gone and the connection stays up.
        await RedisFixture.EventuallyAsync(async () =>
        {
            try
            {
                await subscriber.SubscribeAsync("fine", _ => { });
                return true;
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        }, "a subscription succeeds after the reconnect");
        int settled = Volatile.Read(ref hellos.Value);
        settled.ShouldBeInRange(2, 3);
        await subscriber.SubscribeAsync("fine too", _ => { });
        hellos.Value.ShouldBe(settled);
    }
}
