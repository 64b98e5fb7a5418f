namespace Stoa.Docs.Core;

/// <summary>
/// Ops committed by this node, handed to this node's relay straight away: local sockets get them (and their acks)
/// without waiting for the round trip through pub/sub, which only carries them to the other nodes.
/// </summary>
public sealed class DocCommitFeed
{
    public event Action<Guid, Guid, CommittedOp>? Committed;

    internal void Raise(Guid appId, Guid docId, CommittedOp op) => Committed?.Invoke(appId, docId, op);
}
