using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;

namespace Stoa.Docs.Relay;

/// <summary>One local subscriber of a document (a WebSocket), fed by its <see cref="DocChannel"/> in version order.</summary>
internal interface IDocListener
{
    /// <summary>Who is listening: their own ops reach them as acks, and a change of the document's rule is checked against them.</summary>
    Caller Caller { get; }

    /// <summary>The client id whose committed ops reach this listener as acks instead of ops.</summary>
    string ClientId { get; }

    /// <summary>The last version this listener was sent; maintained by the channel.</summary>
    long After { get; set; }

    /// <summary>Queues a message without waiting; false when the listener cannot keep up (the channel then drops it).</summary>
    /// <param name="traceParent">The trace the op was committed in, as it reached this node: its send is a span of it.</param>
    bool TryEnqueue(ReadOnlyMemory<byte> message, string? traceParent = null);

    /// <summary>Completes when the listener has room for about one more page of a catch-up.</summary>
    Task WaitForRoomAsync(CancellationToken cancellationToken);

    /// <summary>The listener lost access to the document: it is told why and closed.</summary>
    void Revoke(ApiException reason);
}

internal static class DocListeners
{
    /// <summary>Whether a committed op is the listener's own (its user's client), to be acknowledged rather than sent.</summary>
    public static bool IsOwn(this IDocListener listener, Core.CommittedOp op) =>
        string.Equals(listener.ClientId, op.ClientId, StringComparison.Ordinal) && string.Equals(listener.Caller.UserId, op.UserId, StringComparison.Ordinal);
}
