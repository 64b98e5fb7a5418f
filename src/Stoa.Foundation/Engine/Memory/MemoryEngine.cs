namespace Stoa.Foundation.Engine.Memory;

/// <summary>
/// The in-process engine of the embedded default: one node, all state in this process. One lock guards the keyspace:
/// operations are tiny, and the near-cache keeps hot reads off this path.
/// </summary>
public sealed partial class MemoryEngine : IEngine, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _keys = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly MemoryPubSub _pubSub = new();
    private readonly NearCache _nearCache;
    private readonly ITimer _sweeper;

    public MemoryEngine(TimeProvider? time = null, NearCacheOptions? nearCacheOptions = null)
    {
        _time = time ?? TimeProvider.System;
        _nearCache = new NearCache(nearCacheOptions ?? new NearCacheOptions(), _time);
        _sweeper = _time.CreateTimer(_ => SweepExpired(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    public string Name => "memory";

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
        public string? LeaseToken;
        public double Tokens;
        public long RefilledAt;
        public long ExpiresAt;
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
            _keys.Remove(key);
            _nearCache.Invalidate(key);
            return null;
        }

        return entry;
    }

    private long ExpiryFor(TimeSpan? ttl) => ttl is { } t ? Now + Math.Max(1, (long)t.TotalMilliseconds) : 0;

    /// <summary>Every change to a key drops the near-cache copies derived from it, as Redis tracking would.</summary>
    private void Changed(string key) => _nearCache.Invalidate(key);

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
                _keys.Remove(key);
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
