using System.Text;

namespace Stoa.Foundation.Realtime;

/// <summary>
/// The outbox of a stream on a topic with history: live messages through a bounded queue, and what the client missed
/// from the topic's history. A client that reconnects with the id of the last message it got (SSE's Last-Event-ID)
/// is first sent every message after it; a gap (its queue overflowed, or the engine lost messages) is filled the same
/// way from the last id sent. When the history no longer reaches back that far, the client gets one
/// <see cref="ReloadType"/> message instead and must reload the current state (a listing) before going on.
/// </summary>
public sealed class ResumableOutbox : IOutbox, IRealtimeListener
{
    /// <summary>The message telling a client its view may be missing changes: reload, then keep listening.</summary>
    public const string ReloadType = "reload";

    private static readonly ReadOnlyMemory<byte> s_reloadData = Encoding.UTF8.GetBytes("{}");

    private readonly RealtimeHub _hub;
    private readonly string _topic;
    private readonly RealtimeQueue _live;
    private readonly HashSet<string> _sentIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _sentOrder = new();
    private string? _resumeAfter;
    private string? _lastId;

    /// <param name="lastEventId">The last id the client received, when it is resuming; null for a new stream.</param>
    public ResumableOutbox(RealtimeHub hub, string topic, string? lastEventId, int capacity)
    {
        _hub = hub;
        _topic = topic;
        _live = new RealtimeQueue(capacity, OverflowRule.DropAndSignalGap);
        _resumeAfter = string.IsNullOrEmpty(lastEventId) ? null : lastEventId;
    }

    public void OnMessage(RealtimeMessage message) => _live.TryEnqueue(message);

    public void OnGap() => _live.SignalGap();

    public async ValueTask<OutboxBatch> TakeAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        if (_resumeAfter is { } after)
        {
            // Subscribed before this read: what is published meanwhile is both here and in the live queue, and the
            // ids sent keep the client from getting it twice.
            _resumeAfter = null;
            return await ReplayAsync(after, cancellationToken);
        }

        var batch = await _live.TakeAsync(idle, cancellationToken);
        if (batch.Gap)
        {
            var replay = _lastId is { } last ? await ReplayAsync(last, cancellationToken) : Reload();
            return replay with { Messages = [.. replay.Messages, .. Unsent(batch.Messages)] };
        }

        return batch with { Messages = Unsent(batch.Messages) };
    }

    private async ValueTask<OutboxBatch> ReplayAsync(string after, CancellationToken cancellationToken)
    {
        var read = await _hub.ReadHistoryAsync(_topic, after, RealtimeHub.HistoryLength, cancellationToken);
        return read.Found ? new OutboxBatch(Unsent(read.Messages)) : Reload();
    }

    private OutboxBatch Reload() => new([new RealtimeMessage(_topic, null, ReloadType, s_reloadData, _hub.NodeId)]);

    /// <summary>The messages not sent yet (a replay and the live queue overlap), remembering these as sent.</summary>
    private List<RealtimeMessage> Unsent(IReadOnlyList<RealtimeMessage> messages)
    {
        var unsent = new List<RealtimeMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Id is { } id)
            {
                if (!_sentIds.Add(id))
                {
                    continue;
                }

                _sentOrder.Enqueue(id);
                if (_sentOrder.Count > RealtimeHub.HistoryLength)
                {
                    _sentIds.Remove(_sentOrder.Dequeue());
                }

                _lastId = id;
            }

            unsent.Add(message);
        }

        return unsent;
    }
}
