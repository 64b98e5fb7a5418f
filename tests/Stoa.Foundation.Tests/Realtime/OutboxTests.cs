using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Memory;
using Stoa.Foundation.Realtime;

namespace Stoa.Foundation.Tests.Realtime;

/// <summary>What a stream's outbox does when its client is slow, and how a resuming stream catches up.</summary>
public sealed class OutboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RealtimeMessage Message(string type, string? id = null) => new("t", id, type, Encoding.UTF8.GetBytes("{}"), "node");

    [Fact]
    public async Task A_queue_for_a_stream_that_must_miss_nothing_ends_it_when_full()
    {
        var queue = new RealtimeQueue(2, OverflowRule.Close);
        queue.TryEnqueue(Message("1")).ShouldBeTrue();
        queue.TryEnqueue(Message("2")).ShouldBeTrue();
        queue.TryEnqueue(Message("3")).ShouldBeFalse();
        var batch = await queue.TakeAsync(TimeSpan.FromSeconds(1), Ct);
        batch.End.ShouldBe(StreamEnd.TooSlow);
        batch.Messages.ShouldBeEmpty("a slow reader is cut off, not sent the backlog");
        queue.TryEnqueue(Message("4")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_queue_is_bounded_in_bytes_too_and_a_producer_can_wait_for_room()
    {
        var queue = new RealtimeQueue(1_000, OverflowRule.Close, maxBytes: 1_000);
        RealtimeMessage Sized(int bytes) => new("t", null, "m", new byte[bytes], "node");
        queue.TryEnqueue(Sized(600)).ShouldBeTrue();
        queue.TryEnqueue(Sized(300)).ShouldBeTrue();
        queue.Bytes.ShouldBe(900);

        // A producer with more to send waits until the client has taken what is queued.
        var room = queue.WaitUntilBelowAsync(count: 10, bytes: 100, Ct);
        await Task.Delay(50, Ct);
        room.IsCompleted.ShouldBeFalse();
        (await queue.TakeAsync(TimeSpan.FromSeconds(1), Ct)).Messages.Count.ShouldBe(2);
        await room.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        queue.Bytes.ShouldBe(0);

        // One message may exceed the bound alone, never with others waiting.
        queue.TryEnqueue(Sized(5_000)).ShouldBeTrue();
        queue.TryEnqueue(Sized(1)).ShouldBeFalse();
        (await queue.TakeAsync(TimeSpan.FromSeconds(1), Ct)).End.ShouldBe(StreamEnd.TooSlow);
    }

    [Fact]
    public async Task A_batch_takes_at_most_its_bytes_so_a_writer_holds_little_beyond_the_queue()
    {
        var queue = new RealtimeQueue(1_000, OverflowRule.Close);
        for (var i = 0; i < 4; i++)
        {
            queue.TryEnqueue(new RealtimeMessage("t", null, "m", new byte[RealtimeQueue.MaxBatchBytes / 2], "node")).ShouldBeTrue();
        }

        (await queue.TakeAsync(TimeSpan.FromSeconds(1), Ct)).Messages.Count.ShouldBe(2);
        (await queue.TakeAsync(TimeSpan.FromSeconds(1), Ct)).Messages.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_queue_for_a_stream_that_can_recover_drops_and_marks_a_gap()
    {
        var queue = new RealtimeQueue(2, OverflowRule.DropAndSignalGap);
        foreach (var type in (string[])["1", "2", "3", "4"])
        {
            queue.TryEnqueue(Message(type));
        }

        var batch = await queue.TakeAsync(TimeSpan.FromSeconds(1), Ct);
        (batch.Gap, batch.End).ShouldBe((true, (StreamEnd?)null));
        batch.Messages.Select(m => m.Type).ShouldBe(["1", "2"]);
        (await queue.TakeAsync(TimeSpan.FromMilliseconds(50), Ct)).ShouldBe(OutboxBatch.Idle);
    }

    [Fact]
    public async Task A_resuming_stream_gets_what_it_missed_then_live_messages_once_each()
    {
        await using var engine = new MemoryEngine();
        await using var hub = new RealtimeHub(engine, NullLogger<RealtimeHub>.Instance);
        var topic = EngineKeys.For(Guid.NewGuid(), "test", "resume");
        var first = await hub.PublishAsync(topic, "one", "{}"u8.ToArray(), keepHistory: true, Ct);
        await hub.PublishAsync(topic, "two", "{}"u8.ToArray(), keepHistory: true, Ct);

        var outbox = new ResumableOutbox(hub, topic, first.Id, 16);
        await using var subscription = await hub.SubscribeAsync(topic, outbox, Ct);
        await hub.PublishAsync(topic, "three", "{}"u8.ToArray(), keepHistory: true, Ct);

        var replay = await outbox.TakeAsync(TimeSpan.FromSeconds(1), Ct);
        replay.Messages.Select(m => m.Type).ShouldBe(["two", "three"]);
        var live = await outbox.TakeAsync(TimeSpan.FromMilliseconds(100), Ct);
        live.Messages.ShouldBeEmpty("'three' came both from history and live, and is sent once");
    }

    [Fact]
    public async Task A_stream_resuming_after_an_id_the_history_no_longer_holds_is_told_to_reload()
    {
        await using var engine = new MemoryEngine();
        await using var hub = new RealtimeHub(engine, NullLogger<RealtimeHub>.Instance);
        var topic = EngineKeys.For(Guid.NewGuid(), "test", "too old");
        var old = await hub.PublishAsync(topic, "old", "{}"u8.ToArray(), keepHistory: true, Ct);
        for (var i = 0; i < RealtimeHub.HistoryLength + 5; i++)
        {
            await hub.PublishAsync(topic, "filler", "{}"u8.ToArray(), keepHistory: true, Ct);
        }

        var outbox = new ResumableOutbox(hub, topic, old.Id, 16);
        (await outbox.TakeAsync(TimeSpan.FromSeconds(1), Ct)).Messages.Select(m => m.Type).ShouldBe([ResumableOutbox.ReloadType]);
    }

    [Fact]
    public async Task A_gap_in_a_live_stream_is_filled_from_history()
    {
        await using var engine = new MemoryEngine();
        await using var hub = new RealtimeHub(engine, NullLogger<RealtimeHub>.Instance);
        var topic = EngineKeys.For(Guid.NewGuid(), "test", "gap");
        var outbox = new ResumableOutbox(hub, topic, lastEventId: null, capacity: 2);
        await using var subscription = await hub.SubscribeAsync(topic, outbox, Ct);
        await hub.PublishAsync(topic, "a", "{}"u8.ToArray(), keepHistory: true, Ct);
        (await outbox.TakeAsync(TimeSpan.FromSeconds(1), Ct)).Messages.Select(m => m.Type).ShouldBe(["a"]);

        // The client stalls: five messages for a queue of two.
        foreach (var type in (string[])["b", "c", "d", "e", "f"])
        {
            await hub.PublishAsync(topic, type, "{}"u8.ToArray(), keepHistory: true, Ct);
        }

        var caughtUp = await outbox.TakeAsync(TimeSpan.FromSeconds(1), Ct);
        caughtUp.Messages.Select(m => m.Type).ShouldBe(["b", "c", "d", "e", "f"]);
    }
}
