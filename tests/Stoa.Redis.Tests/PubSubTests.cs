using System.Collections.Concurrent;
using Stoa.Testing;

namespace Stoa.Redis.Tests;

public sealed class PubSubTests
{
    [Fact]
    public async Task Subscribe_psubscribe_and_unsubscribe()
    {
        var options = await RedisFixture.SharedOptionsAsync();
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);
        await using var publisher = await RedisClient.ConnectAsync(options);
        string p = RedisServer.NewPrefix();
        var received = new ConcurrentQueue<RedisChannelMessage>();
        await subscriber.SubscribeAsync(p + "news", received.Enqueue);
        await subscriber.PSubscribeAsync(p + "quotes.*", received.Enqueue);

        (await publisher.PublishAsync(p + "news", "hello")).ShouldBe(1);
        (await publisher.PublishAsync(p + "quotes.AAPL", new byte[] { 1, 2, 3 })).ShouldBe(1);
        (await publisher.PublishAsync(p + "other", "nobody")).ShouldBe(0);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(received.Count == 2), "both messages arrive");
        var messages = received.ToArray();
        messages[0].Channel.ShouldBe(p + "news");
        messages[0].Pattern.ShouldBeNull();
        messages[0].Message.ShouldBe("hello");
        messages[1].Channel.ShouldBe(p + "quotes.AAPL");
        messages[1].Pattern.ShouldBe(p + "quotes.*");
        messages[1].PayloadBytes.ToArray().ShouldBe(new byte[] { 1, 2, 3 });

        await subscriber.UnsubscribeAsync(p + "news");
        await subscriber.PUnsubscribeAsync(p + "quotes.*");
        (await publisher.PublishAsync(p + "news", "gone")).ShouldBe(0);
        (await publisher.PublishAsync(p + "quotes.X", "gone")).ShouldBe(0);
    }

    [Fact]
    public async Task Messages_keep_their_order_and_a_throwing_handler_does_not_stop_delivery()
    {
        var options = await RedisFixture.SharedOptionsAsync();
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);
        await using var publisher = await RedisClient.ConnectAsync(options);
        string channel = RedisServer.NewPrefix() + "ordered";
        var received = new ConcurrentQueue<int>();
        int failures = 0;
        subscriber.HandlerFailed += _ => Interlocked.Increment(ref failures);
        await subscriber.SubscribeAsync(channel, _ => throw new InvalidOperationException("handler bug"));
        await subscriber.SubscribeAsync(channel, m => received.Enqueue(int.Parse(m.Message, System.Globalization.CultureInfo.InvariantCulture)));
        var publishes = Enumerable.Range(0, 500).Select(i => publisher.PublishAsync(channel, i.ToString(System.Globalization.CultureInfo.InvariantCulture)).AsTask()).ToArray();
        await Task.WhenAll(publishes);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(received.Count == 500), "all messages arrive");
        received.ToArray().ShouldBe(Enumerable.Range(0, 500).ToArray());
        failures.ShouldBe(500);
    }

    [Fact]
    public async Task Resubscribes_after_a_restart_and_reports_the_reconnect()
    {
        await using var server = await RedisServer.StartAsync();
        var options = RedisOptions.Parse(server.Url);
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);
        await using var publisher = await RedisClient.ConnectAsync(options);
        var received = new ConcurrentQueue<string>();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.Reconnected += () =>
        {
            received.Enqueue("<reconnected>");
            reconnected.TrySetResult();
        };
        await subscriber.SubscribeAsync("chan", m => received.Enqueue(m.Message));
        await subscriber.PSubscribeAsync("pat.*", m => received.Enqueue(m.Message));
        await publisher.PublishAsync("chan", "before");

        await server.RestartAsync();
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The Reconnected event is raised once the subscriptions are back on the server.
        await RedisFixture.EventuallyAsync(async () =>
        {
            try
            {
                return await publisher.PublishAsync("chan", "after") == 1;
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        }, "the publisher is back");
        (await publisher.PublishAsync("pat.x", "pattern-after")).ShouldBe(1);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(received.Contains("pattern-after")), "messages flow after the restart");
        var order = received.ToList();
        order[0].ShouldBe("before");
        order.IndexOf("<reconnected>").ShouldBeLessThan(order.IndexOf("after"));
    }

    [Fact]
    public async Task Client_kill_of_the_pubsub_connection_resubscribes()
    {
        var options = await RedisFixture.SharedOptionsAsync();
        await using var admin = await RedisClient.ConnectAsync(options);
        string channel = RedisServer.NewPrefix() + "killed";
        options.ClientName = "sub-" + channel;
        await using var subscriber = await RedisSubscriber.ConnectAsync(options);
        var received = new ConcurrentQueue<string>();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.Reconnected += () => reconnected.TrySetResult();
        await subscriber.SubscribeAsync(channel, m => received.Enqueue(m.Message));

        var clients = (await admin.ExecuteAsync("CLIENT", "LIST")).AsString()!;
        string line = clients.Split('\n').Single(l => l.Contains(" name=" + options.ClientName + " ", StringComparison.Ordinal));
        string id = line.Split(' ').First(part => part.StartsWith("id=", StringComparison.Ordinal))[3..];
        await admin.ExecuteAsync("CLIENT", "KILL", "ID", id);
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        (await admin.PublishAsync(channel, "again")).ShouldBe(1);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(received.Contains("again")), "the message arrives");
    }
}
