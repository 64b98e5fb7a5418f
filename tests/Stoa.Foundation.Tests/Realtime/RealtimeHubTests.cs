using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Memory;
using Stoa.Foundation.Realtime;
using Stoa.Foundation.Tests.Engine;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Realtime;

/// <summary>
/// The realtime layer over real engines: two hubs on one Redis are two nodes. A node delivers its own messages at once
/// and never twice, other nodes get them through the engine with the publisher's id, topics with history hand out
/// ids that a stream can resume after, and a lost connection tells every listener about the gap.
/// </summary>
public sealed class RealtimeHubTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    private async Task<(RealtimeHub A, RealtimeHub B)> TwoNodesAsync(string? redisUrl = null)
    {
        IReadOnlyList<IEngine> engines = redisUrl is null
            ? [new MemoryEngine(), new MemoryEngine()]
            : await RedisEngineContractTests.ConnectNodesAsync(redisUrl, 2);
        foreach (var engine in engines)
        {
            _owned.Add((IAsyncDisposable)engine);
        }

        var hubs = engines.Select(e => new RealtimeHub(e, NullLogger<RealtimeHub>.Instance)).ToList();
        _owned.AddRange(hubs);
        return (hubs[0], hubs[1]);
    }

    private static string Topic() => EngineKeys.For(Guid.NewGuid(), "test", "topic");

    [Fact]
    public async Task A_node_delivers_its_own_message_once_and_the_other_node_gets_it_with_the_publishers_id()
    {
        var (a, b) = await TwoNodesAsync((await RedisServer.Shared).Url);
        var topic = Topic();
        var onA = new Recorder();
        var onB = new Recorder();
        await using var subA = await a.SubscribeAsync(topic, onA, Ct);
        await using var subB = await b.SubscribeAsync(topic, onB, Ct);

        var sent = await a.PublishAsync(topic, "greeting", Encoding.UTF8.GetBytes("""{"hello":1}"""), keepHistory: false, Ct);
        onA.Messages.ShouldHaveSingleItem("delivered here before the publish returned").NodeId.ShouldBe(a.NodeId);
        var received = await onB.NextAsync();
        (received.Type, Encoding.UTF8.GetString(received.Data.Span), received.NodeId, received.Id).ShouldBe(("greeting", """{"hello":1}""", a.NodeId, (string?)null));

        // The engine echoes A's message back to A; A must skip it. A later message from B proves the echo had time.
        await b.PublishAsync(topic, "after", "{}"u8.ToArray(), keepHistory: false, Ct);
        await onA.WaitForAsync(m => m.Type == "after");
        onA.Messages.Count(m => m.Type == "greeting").ShouldBe(1);
        sent.NodeId.ShouldBe(a.NodeId);
    }

    [Fact]
    public async Task Messages_kept_in_history_carry_ids_and_can_be_read_after_an_id_on_any_node()
    {
        var (a, b) = await TwoNodesAsync((await RedisServer.Shared).Url);
        var topic = Topic();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await a.PublishAsync(topic, "n", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), keepHistory: true, Ct)).Id!);
        }

        var read = await b.ReadHistoryAsync(topic, ids[0], 10, Ct);
        read.Found.ShouldBeTrue();
        read.Messages.Select(m => (m.Id, m.Type, Encoding.UTF8.GetString(m.Data.Span))).ShouldBe([(ids[1], "n", "1"), (ids[2], "n", "2")]);
        (await b.ReadHistoryAsync(topic, "1-0", 10, Ct)).Found.ShouldBeFalse();
    }

    [Fact]
    public async Task Losing_the_engine_connection_tells_every_listener_of_the_gap()
    {
        await using var redis = await RedisServer.StartAsync();
        var (a, _) = await TwoNodesAsync(redis.Url);
        var topic = Topic();
        var listener = new Recorder();
        await using var subscription = await a.SubscribeAsync(topic, listener, Ct);

        await redis.RestartAsync();
        await listener.Gap.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task The_last_listener_leaving_drops_the_topic()
    {
        var (a, _) = await TwoNodesAsync();
        var topic = Topic();
        var first = await a.SubscribeAsync(topic, new Recorder(), Ct);
        var second = await a.SubscribeAsync(topic, new Recorder(), Ct);
        a.ListenerCount(topic).ShouldBe(2);
        await first.DisposeAsync();
        a.ListenerCount(topic).ShouldBe(1);
        await second.DisposeAsync();
        (a.ListenerCount(topic), a.TopicCount).ShouldBe((0, 0));
    }

    private sealed class Recorder : IRealtimeListener
    {
        private readonly ConcurrentQueue<RealtimeMessage> _messages = new();
        private readonly SemaphoreSlim _arrived = new(0);

        public IReadOnlyList<RealtimeMessage> Messages => [.. _messages];

        public TaskCompletionSource Gap { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnMessage(RealtimeMessage message)
        {
            _messages.Enqueue(message);
            _arrived.Release();
        }

        public void OnGap() => Gap.TrySetResult();

        public async Task<RealtimeMessage> NextAsync()
        {
            (await _arrived.WaitAsync(TimeSpan.FromSeconds(10), Ct)).ShouldBeTrue("a message arrived");
            return _messages.Last();
        }

        public async Task WaitForAsync(Func<RealtimeMessage, bool> match)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!_messages.Any(match))
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, "the awaited message arrived");
                await Task.Delay(10, Ct);
            }
        }
    }
}
