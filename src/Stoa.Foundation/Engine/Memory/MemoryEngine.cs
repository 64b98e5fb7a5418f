namespace Stoa.Foundation.Engine.Memory;

/// <summary>
/// The in-process engine of the embedded default: one node, all state in this process. One lock guards the keyspace:
/// operations are tiny, and the near-cache keeps hot reads off this path. Its size is bounded: past
/// <see cref="MaxBytes"/> (an estimate of keys, values and bookkeeping) the least recently used keys with an expiry are
/// evicted first, as Redis's <c>volatile-lru</c> would, and only when none is left the least recently used of the
/// others. Everything here can be rebuilt from the store, so an eviction costs a reload, never data.
/// </summary>
public sealed partial class MemoryEngine : IEngine, IAsyncDisposable
{
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    /// <summary>What a key costs besides its own characters and value: the entry, its dictionary slot and LRU node.</summary>
    private const int EntryOverhead = 160;

    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _keys = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _expiring = new();
    private readonly LinkedList<string> _lasting = new();
    private long _bytes;
    private readonly TimeProvider _time;
    private readonly MemoryPubSub _pubSub = new();
    private readonly NearCache _nearCache;
    private readonly ITimer _sweeper;

    public MemoryEngine(TimeProvider? time = null, NearCacheOptions? nearCacheOptions = null, long maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 64 * 1024);
        MaxBytes = maxBytes;
        _time = time ?? TimeProvider.System;
        _nearCache = new NearCache(nearCacheOptions ?? new NearCacheOptions(), _time);
        _sweeper = _time.CreateTimer(_ => SweepExpired(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    public string Name => "memory";

    public long MaxBytes { get; }

    /// <summary>The estimated size of every key held now; at most <see cref="MaxBytes"/> between operations.</summary>
    public long ApproximateBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int KeyCount
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>Keys without an expiry: only writes should ever add to these.</summary>
    public int LastingKeyCount
    {
        get
        {
            lock (_gate)
            {
                return _lasting.Count;
            }
        }
    }

    public INearCache NearCache => _nearCache;

    public event Action? SubscriptionsRestored
    {
        add => _pubSub.GapDetected += value;
        remove => _pubSub.GapDetected -= value;
    }

    public ValueTask<bool> PingAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public ValueTask PublishAsync(string channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _pubSub.Publish(channel, payload);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IAsyncDisposable> SubscribeAsync(string channel, MessageHandler handler, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_pubSub.Subscribe(channel, handler));

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A value of any kind with its expiry (unix ms, 0 = none).</summary>
    private sealed class Entry
    {
        public byte[]? Bytes;
        public long Counter;
        public bool IsCounter;
        public long Version;
        public MemorySortedSet? SortedSet;
        public Dictionary<string, long>? Versions;
        public List<EventLogEntry>? Log;
        public string? LeaseToken;
        public double Tokens;
        public long RefilledAt;
        public long ExpiresAt;
        public LinkedListNode<string>? Recency;
        public long Size;
    }

    /// <summary>The live entry for a key, dropping it if it has expired. Call under the lock.</summary>
    private Entry? Find(string key)
    {
        if (!_keys.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt != 0 && entry.ExpiresAt <= Now)
        {
            Drop(key);
            _nearCache.Invalidate(key);
            return null;
        }

        var list = entry.Recency!.List!;
        list.Remove(entry.Recency);
        list.AddLast(entry.Recency);
        return entry;
    }

    /// <summary>Puts an entry under a key (replacing any), then evicts least recently used keys past the bound. Call under the lock.</summary>
    private void Store(string key, Entry entry)
    {
        Drop(key);
        _keys[key] = entry;
        entry.Recency = (entry.ExpiresAt != 0 ? _expiring : _lasting).AddLast(key);
        Resize(key, entry);
    }

    /// <summary>Removes a key and its accounting; true if it was there. Call under the lock.</summary>
    private bool Drop(string key)
    {
        if (!_keys.Remove(key, out var entry))
        {
            return false;
        }

        entry.Recency!.List!.Remove(entry.Recency);
        _bytes -= entry.Size;
        return true;
    }

    /// <summary>Re-estimates a key's size after its value changed in place, and evicts if the engine grew past its bound.</summary>
    private void Resize(string key, Entry entry)
    {
        var size = EntryOverhead + (2L * key.Length) + (entry.Bytes?.Length ?? 0) + (entry.SortedSet?.ApproximateBytes ?? 0)
            + ((entry.Versions?.Count ?? 0) * 96L) + (2L * (entry.LeaseToken?.Length ?? 0))
            + (entry.Log?.Sum(e => 96L + e.Entry.Length) ?? 0);
        _bytes += size - entry.Size;
        entry.Size = size;
        while (_bytes > MaxBytes && (_expiring.First ?? _lasting.First) is { } oldest && !ReferenceEquals(oldest, entry.Recency))
        {
            Drop(oldest.Value);
            _nearCache.Invalidate(oldest.Value);
        }
    }

    private long ExpiryFor(TimeSpan? ttl) => ttl is { } t ? Now + Math.Max(1, (long)t.TotalMilliseconds) : 0;

    /// <summary>
    /// Every change to a key drops the near-cache copies derived from it, as Redis tracking would, and re-counts its
    /// size (sorted sets and version tables change in place).
    /// </summary>
    private void Changed(string key)
    {
        if (_keys.TryGetValue(key, out var entry))
        {
            Resize(key, entry);
        }

        _nearCache.Invalidate(key);
    }

    private void SweepExpired()
    {
        List<string> expired = [];
        lock (_gate)
        {
            var now = Now;
            foreach (var (key, entry) in _keys)
            {
                if (entry.ExpiresAt != 0 && entry.ExpiresAt <= now)
                {
                    expired.Add(key);
                }
            }

            foreach (var key in expired)
            {
                Drop(key);
            }
        }

        foreach (var key in expired)
        {
            _nearCache.Invalidate(key);
        }
    }

    public ValueTask DisposeAsync()
    {
        _sweeper.Dispose();
        _pubSub.Dispose();
        return ValueTask.CompletedTask;
    }
}
