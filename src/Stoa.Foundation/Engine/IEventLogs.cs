namespace Stoa.Foundation.Engine;

/// <summary>
/// Short logs of recent events, shared by every node, so that a client that reconnects (to any node) can be sent what
/// it missed. A log keeps at most its last <c>maxLength</c> entries and disappears <c>ttl</c> after its last append.
/// <para>Guarantees: ids are opaque strings that grow with every append to one log, on any node; an entry appended is
/// visible to every node's reads once the append returns. Nothing here is durable: losing the engine loses the logs,
/// and readers then learn that their id is no longer held.</para>
/// </summary>
public interface IEventLogs
{
    /// <summary>Appends an entry and returns its id.</summary>
    ValueTask<string> AppendAsync(string key, ReadOnlyMemory<byte> entry, int maxLength, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="count"/> entries after <paramref name="afterId"/>, oldest first. <see cref="EventLogRead.Found"/>
    /// is false when the log no longer holds <paramref name="afterId"/> (trimmed, expired, never there): what came after
    /// it cannot be told, and the reader must start over from the current state.
    /// </summary>
    ValueTask<EventLogRead> ReadAfterAsync(string key, string afterId, int count, CancellationToken cancellationToken);
}

public sealed record EventLogRead(bool Found, IReadOnlyList<EventLogEntry> Entries);

public readonly record struct EventLogEntry(string Id, byte[] Entry);
