namespace Stoa.Foundation.Engine.Memory;

public sealed partial class MemoryEngine
{
    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var entry = Find(key);
            if (entry is { IsCounter: true })
            {
                return ValueTask.FromResult<byte[]?>(System.Text.Encoding.ASCII.GetBytes(entry.Counter.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            return ValueTask.FromResult(entry?.Bytes?.ToArray());
        }
    }

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Store(key, new Entry { Bytes = value.ToArray(), ExpiresAt = ExpiryFor(ttl) });
            Changed(key);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Find(key) is not null)
            {
                return ValueTask.FromResult(false);
            }

            Store(key, new Entry { Bytes = value.ToArray(), ExpiresAt = ExpiryFor(ttl) });
            Changed(key);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> SetIfNewerAsync(string key, long version, ReadOnlyMemory<byte> value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Find(key) is { } existing && existing.Version >= version)
            {
                return ValueTask.FromResult(false);
            }

            Store(key, new Entry { Bytes = value.ToArray(), Version = version, ExpiresAt = ExpiryFor(ttl) });
            Changed(key);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<VersionedValue?> GetVersionedAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(Find(key) is { Bytes: { } bytes, Version: > 0 } entry
                ? new VersionedValue(entry.Version, bytes.ToArray())
                : null);
        }
    }

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var existed = Find(key) is not null && Drop(key);
            Changed(key);
            return ValueTask.FromResult(existed);
        }
    }

    public ValueTask<long> IncrementAsync(string key, long delta, TimeSpan? ttlWhenCreated, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var entry = Find(key);
            if (entry is null)
            {
                entry = new Entry { IsCounter = true, ExpiresAt = ExpiryFor(ttlWhenCreated) };
                Store(key, entry);
            }
            else if (!entry.IsCounter)
            {
                throw new InvalidOperationException($"Key '{key}' holds a value that is not a counter.");
            }

            entry.Counter = checked(entry.Counter + delta);
            Changed(key);
            return ValueTask.FromResult(entry.Counter);
        }
    }
}
