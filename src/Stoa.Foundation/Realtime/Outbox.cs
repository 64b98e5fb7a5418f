using System.Net.WebSockets;

namespace Stoa.Foundation.Realtime;

/// <summary>
/// What one client's stream sends, in order. The stream's single writer (<see cref="SseStream"/>,
/// <see cref="WebSocketSession"/>) takes batches and sends them; the outbox decides what a batch holds (a bounded queue,
/// the latest value per key, a replay from history) and when the stream ends.
/// </summary>
public interface IOutbox
{
    /// <summary>Waits until there is something to send, at most <paramref name="idle"/> (then an empty batch: time for a heartbeat).</summary>
    ValueTask<OutboxBatch> TakeAsync(TimeSpan idle, CancellationToken cancellationToken);
}

/// <param name="Messages">What to send now, in order.</param>
/// <param name="Gap">Messages were dropped before these (an overflow, or the engine lost some): the outbox's owner decides what that means.</param>
/// <param name="End">Set when the server ends the stream after these messages, with the reason the client is given.</param>
public sealed record OutboxBatch(IReadOnlyList<RealtimeMessage> Messages, bool Gap = false, StreamEnd? End = null)
{
    public static readonly OutboxBatch Idle = new([]);
}

/// <summary>Why the server ends a stream: a WebSocket close status and reason (SSE streams simply end).</summary>
public sealed record StreamEnd(WebSocketCloseStatus Status, string Reason)
{
    /// <summary>The client stopped reading: it reconnects and catches up (a slow reader never holds the node's memory).</summary>
    public static readonly StreamEnd TooSlow = new(WebSocketCloseStatus.PolicyViolation, "too slow: reconnect and catch up");

    /// <summary>The node is shutting down: the client reconnects, through the balancer, to another node.</summary>
    public static readonly StreamEnd ShuttingDown = new(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");

    /// <summary>The engine went away: the client retries shortly.</summary>
    public static readonly StreamEnd TryAgainLater = new((WebSocketCloseStatus)1013, "try again later");

    public static readonly StreamEnd TooBig = new(WebSocketCloseStatus.MessageTooBig, "message too big");

    public static readonly StreamEnd Normal = new(WebSocketCloseStatus.NormalClosure, "bye");
}

/// <summary>What a full <see cref="RealtimeQueue"/> does with one more message.</summary>
public enum OverflowRule
{
    /// <summary>End the stream (<see cref="StreamEnd.TooSlow"/>): for streams a client must not miss anything of (docs).</summary>
    Close,

    /// <summary>Drop it and mark a gap, which the next batch carries: for streams that can recover (from history, or state).</summary>
    DropAndSignalGap,
}
