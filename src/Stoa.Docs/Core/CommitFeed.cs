using Microsoft.Extensions.Logging;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Realtime;

namespace Stoa.Docs.Core;

/// <summary>
/// A document's realtime topic, on which its sequencer announces what it committed: this node's relay gets the ops
/// at once, in version order, and the other nodes through the engine's pub/sub (they fill any gap from the store).
/// The same topic tells every node that a document's access rule changed.
/// </summary>
internal sealed partial class CommitFeed(RealtimeHub hub, ILogger<CommitFeed> logger)
{
    public const string OpType = "op";
    public const string AccessType = "access";

    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromSeconds(5);

    public static string Topic(Guid appId, Guid docId) => EngineKeys.For(appId, "docs", docId.ToString("N"));

    /// <summary>Announces committed ops. They are durable already, so nothing here may fail the submits.</summary>
    public async Task AnnounceAsync(Guid appId, Guid docId, IReadOnlyList<CommittedOp> ops)
    {
        var topic = Topic(appId, docId);
        var messages = ops.Select(op => hub.DeliverHere(topic, OpType, CommitPayloads.Write(op))).ToList();
        using var deadline = new CancellationTokenSource(s_publishTimeout);

        // All of a batch's publishes go out together (the engine pipelines them in this order) and are awaited after,
        // so a batch of n ops costs the sequencer one round trip to the engine, not n.
        var sends = messages.Select(message => Send(message, deadline.Token)).ToList();
        try
        {
            await Task.WhenAll(sends);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Other nodes fill what they missed from the store (a gap, or their periodic check when nothing follows).
            LogPublishFailure(logger, docId, e);
        }
    }

    private async Task Send(RealtimeMessage message, CancellationToken cancellationToken) =>
        await hub.SendToOtherNodesAsync(message, cancellationToken);

    /// <summary>Tells every node's relay (this one first) to check its sockets against the document's new rule.</summary>
    public async Task AnnounceAccessChangedAsync(Guid appId, Guid docId, CancellationToken cancellationToken)
    {
        var message = hub.DeliverHere(Topic(appId, docId), AccessType, ReadOnlyMemory<byte>.Empty);
        await hub.SendToOtherNodesAsync(message, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing ops of document {DocId} failed; other nodes' readers catch up from the store")]
    private static partial void LogPublishFailure(ILogger logger, Guid docId, Exception e);
}
