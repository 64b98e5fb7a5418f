using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Stoa.Foundation.Engine;

/// <summary>
/// The near-cache both engines use: entries grouped by engine key, dropped by <see cref="Invalidate"/> (fed by the
/// engine's own writes in memory, by CLIENT TRACKING pushes on Redis), all dropped by <see cref="Suspend"/> when the
/// invalidation channel is lost, and not cached again until <see cref="Resume"/>.
/// </summary>
public sealed class NearCache : INearCache
{
    // Invalidation counters, striped by key hash: a load caches its result only if its stripe did not move while it
    // ran, so an invalidation that overtakes the reply it invalidates can never be undone by that reply, and a read
    // that begins after an invalidation never joins a load that began before it. Two keys sharing a stripe only cost
    // a skipped cache write or an unshared load.
    private const int Stripes = 4096;
    private readonly long[] _stripes = new long[Stripes];
    private readonly ConcurrentDictionary<string, Entries> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, string Variant), Load> _loading = new();

    // Orders a load's "nothing invalidated, so store" against an invalidation's "bump, then drop", and serialises every
    // change of the entries. Hits never take it.
    private readonly Lock _gate = new();
    private readonly NearCacheOptions _options;
    private readonly TimeProvider? _time;
    private readonly long _ttl;
    private long _epoch;
    private int _count;
    private volatile bool _suspended;

    public NearCache(NearCacheOptions options, TimeProvider? time = null, bool startSuspended = false)
    {
        _options = options;
        // Expiry is checked on every hit. On the system clock it is read from Environment.TickCount64 (the coarse
        // monotonic clock, a few ns, in milliseconds) rather than TimeProvider.System's Stopwatch timestamp, which
        // costs more than the rest of a hit; a TTL of minutes does not need finer. Tests pass their own provider.
        _time = time is null || time == TimeProvider.System ? null : time;
        _ttl = _time is null
            ? (long)options.Ttl.TotalMilliseconds
            : (long)(options.Ttl.TotalSeconds * _time.TimestampFrequency);
        _suspended = startSuspended;
    }

    private readonly NearCacheModules _modules = new();

    public event Action<string?>? Invalidated;

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Hits and misses per module. A hit is a read answered from memory (by <see cref="TryGet{T}"/> or
    /// <see cref="GetOrLoadAsync{T}"/>); a miss is a <see cref="GetOrLoadAsync{T}"/> that had to load or wait for a
    /// load. A <see cref="TryGet{T}"/> that finds nothing is not counted: the caller goes on to
    /// <see cref="GetOrLoadAsync{T}"/>, which counts it.
    /// </summary>
    public IReadOnlyList<NearCacheCounts> CountsByModule => _modules.All;

    public bool IsSuspended => _suspended;

    public ValueTask<T> GetOrLoadAsync<T>(string key, string variant, Func<CancellationToken, ValueTask<T>> load, CancellationToken cancellationToken)
    {
        var slot = FindSlot(key, variant);
        if (IsUsable<T>(slot, out var value))
        {
            slot!.Counts.Hit();
            return ValueTask.FromResult(value);
        }

        _modules.For(key).Miss();
        if (slot is not null)
        {
            // Expired, or cached as another type: drop it so that the load below can store a fresh one.
            RemoveSlot(key, variant, slot);
        }

        return new ValueTask<T>(LoadSharedAsync(key, variant, load, cancellationToken));
    }

    public bool TryGet<T>(string key, string variant, [MaybeNullWhen(false)] out T value)
    {
        var slot = FindSlot(key, variant);
        if (!IsUsable(slot, out value))
        {
            return false;
        }

        slot!.Counts.Hit();
        return true;
    }

    private Slot? FindSlot(string key, string variant)
    {
        if (!_entries.TryGetValue(key, out var entries))
        {
            return null;
        }

        if (variant.Length == 0)
        {
            return entries.Plain;
        }

        return entries.Variants is { } variants && variants.TryGetValue(variant, out var slot) ? slot : null;
    }

    private bool IsUsable<T>(Slot? slot, [MaybeNullWhen(false)] out T value)
    {
        if (slot is not null && slot.ExpiresAt > Now() && slot.Value is T cached)
        {
            value = cached;
            return true;
        }

        value = default;
        return false;
    }

    private Task<T> LoadSharedAsync<T>(string key, string variant, Func<CancellationToken, ValueTask<T>> load, CancellationToken cancellationToken)
    {
        var id = (key, variant);
        var stripe = StripeOf(key);
        while (true)
        {
            // Read before looking for a load to join: a load that began before the latest invalidation of its stripe
            // may bring the old value (or be one that has finished and not yet left the table), so a caller that
            // arrives after that invalidation starts its own instead of joining it.
            var stamp = Volatile.Read(ref _stripes[stripe]);
            var epoch = Volatile.Read(ref _epoch);
            _loading.TryGetValue(id, out var existing);
            if (existing is not null && existing.Stamp == stamp && existing.Epoch == epoch)
            {
                if (existing.Task is Task<T> shared)
                {
                    return shared.WaitAsync(cancellationToken);
                }

                // Same entry loaded as another type: do not share, do not cache.
                return load(cancellationToken).AsTask();
            }

            var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            var fresh = new Load(completion.Task, stripe, stamp, epoch);
            if (existing is null ? _loading.TryAdd(id, fresh) : _loading.TryUpdate(id, fresh, existing))
            {
                _ = RunLoadAsync(id, load, completion, fresh);
                return completion.Task.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task RunLoadAsync<T>((string Key, string Variant) id, Func<CancellationToken, ValueTask<T>> load, TaskCompletionSource<T> completion, Load self)
    {
        using var span = EngineTelemetry.StartLoad(_modules.For(id.Key).Module);
        try
        {
            // The shared load is not tied to the first caller's token: others may still be waiting for it.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var value = await load(deadline.Token);
            var stored = false;
            lock (_gate)
            {
                // Under the gate an invalidation either ran before this check (nothing is stored) or runs after the
                // store (and drops it): no reader can see the value once the invalidation has been delivered.
                if (!_suspended && Volatile.Read(ref _stripes[self.Stripe]) == self.Stamp && Volatile.Read(ref _epoch) == self.Epoch)
                {
                    Store(id.Key, id.Variant, value);
                    stored = true;
                }
            }

            // Not cached: the key changed (or the channel was lost) while it loaded, so this value serves only its waiters.
            span?.SetTag("stoa.near_cache.cached", stored);

            // Out of the table before anyone is woken, so that no later caller finds a finished load to join.
            _loading.TryRemove(new KeyValuePair<(string, string), Load>(id, self));
            completion.TrySetResult(value);
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            span?.SetTag("error.type", Telemetry.ErrorTypes.Of(ex));
            _loading.TryRemove(new KeyValuePair<(string, string), Load>(id, self));
            completion.TrySetException(ex);
        }
    }

    private void Store<T>(string key, string variant, T value)
    {
        if (Count >= _options.MaxEntries)
        {
            Evict();
        }

        var entries = _entries.GetOrAdd(key, static _ => new Entries());
        var slot = new Slot(value, Now() + _ttl, _modules.For(key));
        bool added;
        if (variant.Length == 0)
        {
            added = entries.Plain is null;
            entries.Plain = slot;
        }
        else
        {
            var variants = entries.Variants ??= new ConcurrentDictionary<string, Slot>(StringComparer.Ordinal);
            added = variants.TryAdd(variant, slot);
            if (!added)
            {
                variants[variant] = slot;
            }
        }

        if (added)
        {
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Drops every entry derived from <paramref name="key"/>.</summary>
    public void Invalidate(string key)
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _stripes[StripeOf(key)]);
            if (_entries.TryRemove(key, out var entries))
            {
                Interlocked.Add(ref _count, -entries.Count);
            }
        }

        Invalidated?.Invoke(key);
    }

    /// <summary>Drops everything (a flush-all invalidation from the server).</summary>
    public void InvalidateAll() => Flush(suspended: null);

    /// <summary>The invalidation channel is gone: flush, and cache nothing until <see cref="Resume"/>.</summary>
    public void Suspend() => Flush(suspended: true);

    /// <summary>Invalidations flow again (tracking re-enabled on a new connection): caching may resume.</summary>
    public void Resume() => Flush(suspended: false);

    /// <summary>Empties the cache and, unless <paramref name="suspended"/> is null, sets whether it may fill again;
    /// both under the gate, so that a load finishing meanwhile cannot slip its value in.</summary>
    private void Flush(bool? suspended)
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _epoch);
            _entries.Clear();
            Volatile.Write(ref _count, 0);
            if (suspended is { } value)
            {
                _suspended = value;
            }
        }

        Invalidated?.Invoke(null);
    }

    /// <summary>Drops <paramref name="slot"/> if it is still the entry (not a fresher one stored meanwhile).</summary>
    private void RemoveSlot(string key, string variant, Slot slot)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entries))
            {
                return;
            }

            bool removed;
            if (variant.Length == 0)
            {
                removed = ReferenceEquals(entries.Plain, slot);
                if (removed)
                {
                    entries.Plain = null;
                }
            }
            else
            {
                removed = entries.Variants is { } variants && variants.TryRemove(new KeyValuePair<string, Slot>(variant, slot));
            }

            if (removed)
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    private void Evict()
    {
        // Bounded memory matters more than perfect recency here: drop about a tenth, oldest-inserted keys first
        // as the dictionary happens to enumerate them.
        var target = _options.MaxEntries / 10 + 1;
        foreach (var key in _entries.Keys)
        {
            if (target <= 0)
            {
                break;
            }

            if (_entries.TryRemove(key, out var entries))
            {
                var count = entries.Count;
                Interlocked.Add(ref _count, -count);
                target -= count;
            }
        }
    }

    private long Now() => _time?.GetTimestamp() ?? Environment.TickCount64;

    private static int StripeOf(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % Stripes);

    /// <summary>A cached value, and the counts its hits go to (found once, when it is stored, not on every hit).</summary>
    private sealed record Slot(object? Value, long ExpiresAt, NearCacheCounts Counts);

    /// <summary>What is cached for one key. The plain variant ("", what the hot read paths use) is a field, so that its
    /// hit costs one dictionary lookup; other variants live in a dictionary made on first use. Changed only under the
    /// gate; hits read it without.</summary>
    private sealed class Entries
    {
        public Slot? Plain { get; set; }

        public ConcurrentDictionary<string, Slot>? Variants { get; set; }

        public int Count => (Plain is null ? 0 : 1) + (Variants?.Count ?? 0);
    }

    /// <summary>A load in flight, with the stripe and epoch counters as they were before it began. A class, not a
    /// record: the table's compare-and-swap must compare identity.</summary>
    private sealed class Load(Task task, int stripe, long stamp, long epoch)
    {
        public Task Task { get; } = task;

        public int Stripe { get; } = stripe;

        public long Stamp { get; } = stamp;

        public long Epoch { get; } = epoch;
    }
}
