namespace Stoa.Foundation.Engine;

/// <summary>
/// Byte values and counters with optional expiry, shared by every node. Each operation is atomic on its key; a write
/// acknowledged by one node is visible to reads on every node. Nothing here is durable: keep the truth in the store.
/// Keys start with the app id (<see cref="EngineKeys"/>).
/// </summary>
public interface IKeyValueStore
{
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl, CancellationToken cancellationToken);

    /// <summary>Sets the value only if the key does not exist; true when it was set.</summary>
    ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the value only if <paramref name="version"/> is greater than the version stored with the key (or the key
    /// is absent); true when it was set. Late, older writes (an out-of-order tick) never overwrite newer ones.
    /// Read the value back with <see cref="GetVersionedAsync"/>.
    /// </summary>
    ValueTask<bool> SetIfNewerAsync(string key, long version, ReadOnlyMemory<byte> value, TimeSpan? ttl, CancellationToken cancellationToken);

    /// <summary>The value and version written by <see cref="SetIfNewerAsync"/>, or null.</summary>
    ValueTask<VersionedValue?> GetVersionedAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes a key of any kind (value, counter, sorted set); true if it existed.</summary>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="delta"/> to a counter (created at 0) and returns the new value; the expiry is set only when the counter is created.</summary>
    ValueTask<long> IncrementAsync(string key, long delta, TimeSpan? ttlWhenCreated, CancellationToken cancellationToken);
}

public sealed record VersionedValue(long Version, byte[] Value);
