namespace Stoa.Foundation.Realtime;

/// <summary>
/// One message of a topic as every node's listeners receive it: the module's <see cref="Type"/> and
/// <see cref="Data"/> (JSON, as the module encoded it), the event <see cref="Id"/> when the topic keeps a history
/// (clients resume after it), the node that published it, the trace it was published in (W3C traceparent) and when
/// (Unix milliseconds on the publishing node; 0 when unknown), from which each other node measures its fan-out lag.
/// </summary>
public sealed record RealtimeMessage(string Topic, string? Id, string Type, ReadOnlyMemory<byte> Data, string NodeId, string? TraceParent = null,
    long PublishedAt = 0);
