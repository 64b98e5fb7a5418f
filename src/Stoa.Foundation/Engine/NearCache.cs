using System.Collections.Concurrent;
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
    // ran, so an invalidation that overtakes the reply it invalidates can never be undone by that reply. Two keys
    // sharing a stripe only cost a skipped cache write.
    private const int Stripes = 4096;
    private readonly long[] _stripes = new long[Stripes];
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Slot>> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, string Variant), Task> _loading = new();
    private readonly NearCacheOptions _options;
    private readonly TimeProvider _time;
    private long _epoch;
    private int _count;
    private volatile bool _suspended;

    public NearCache(NearCacheOptions options, TimeProvider? time = null, bool startSuspended = false)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _suspended = startSuspended;
    }

    public event Action<string?>? Invalidated;

    public int Count => Volatile.Read(ref _count);

    public bool IsSuspended => _suspended;

    public ValueTask<T> GetOrLoadAsync<T>(string key, string variant, Func<CancellationToken, ValueTask<T>> load, CancellationToken cancellationToken)
    {
        var slot = FindSlot(key, variant);
        if (IsUsable<T>(slot, out var value))
        {
            return ValueTask.FromResult(value);
        }

        if (slot is not null)
        {
            // Expired, or cached as another type: drop it so that the load below can store a fresh one.
            RemoveSlot(key, variant);
        }

        return new ValueTask<T>(LoadSharedAsync(key, variant, load, cancellationToken));
    }

    public bool TryGet<T>(string key, string variant, [MaybeNullWhen(false)] out T value) =>
        IsUsable(FindSlot(key, variant), out value);

    private Slot? FindSlot(string key, string variant) =>
        _entries.TryGetValue(key, out var variants) && variants.TryGetValue(variant, out var slot) ? slot : null;

    private bool IsUsable<T>(Slot? slot, [MaybeNullWhen(false)] out T value)
    {
        if (slot is not null && slot.ExpiresAt > _time.GetTimestamp() && slot.Value is T cached)
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
        while (true)
        {
            if (_loading.TryGetValue(id, out var existing))
            {
                if (existing is Task<T> shared)
                {
                    return shared.WaitAsync(cancellationToken);
                }

                // Same entry loaded as another type: do not share, do not cache.
                return load(cancellationToken).AsTask();
            }

            var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_loading.TryAdd(id, completion.Task))
            {
                _ = RunLoadAsync(key, variant, load, completion);
                return completion.Task.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task RunLoadAsync<T>(string key, string variant, Func<CancellationToken, ValueTask<T>> load, TaskCompletionSource<T> completion)
    {
        var stripe = StripeOf(key);
        var before = Volatile.Read(ref _stripes[stripe]);
        var epoch = Volatile.Read(ref _epoch);
        try
        {
            // The shared load is not tied to the first caller's token: others may still be waiting for it.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var value = await load(deadline.Token);
            if (!_suspended && Volatile.Read(ref _stripes[stripe]) == before && Volatile.Read(ref _epoch) == epoch)
            {
                Store(key, variant, value);
                // An invalidation may have landed between the check and the store: undo it.
                if (Volatile.Read(ref _stripes[stripe]) != before || Volatile.Read(ref _epoch) != epoch || _suspended)
                {
                    RemoveSlot(key, variant);
                }
            }

            completion.TrySetResult(value);
        }
        catch (Exception ex)
        {
            completion.TrySetException(ex);
        }
        finally
        {
            _loading.TryRemove(new KeyValuePair<(string, string), Task>((key, variant), completion.Task));
        }
    }

    private void Store<T>(string key, string variant, T value)
    {
        if (Count >= _options.MaxEntries)
        {
            Evict();
        }

        var variants = _entries.GetOrAdd(key, static _ => new ConcurrentDictionary<string, Slot>(StringComparer.Ordinal));
        var slot = new Slot(value, _time.GetTimestamp() + (long)(_options.Ttl.TotalSeconds * _time.TimestampFrequency));
        if (variants.TryAdd(variant, slot))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            variants[variant] = slot;
        }
    }

    /// <summary>Drops every entry derived from <paramref name="key"/>.</summary>
    public void Invalidate(string key)
    {
        Interlocked.Increment(ref _stripes[StripeOf(key)]);
        if (_entries.TryRemove(key, out var variants))
        {
            Interlocked.Add(ref _count, -variants.Count);
        }

        Invalidated?.Invoke(key);
    }

    /// <summary>Drops everything (a flush-all invalidation from the server).</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref _epoch);
        _entries.Clear();
        Volatile.Write(ref _count, 0);
        Invalidated?.Invoke(null);
    }

    /// <summary>The invalidation channel is gone: flush, and cache nothing until <see cref="Resume"/>.</summary>
    public void Suspend()
    {
        _suspended = true;
        InvalidateAll();
    }

    /// <summary>Invalidations flow again (tracking re-enabled on a new connection): caching may resume.</summary>
    public void Resume()
    {
        InvalidateAll();
        _suspended = false;
    }

    private void RemoveSlot(string key, string variant)
    {
        if (_entries.TryGetValue(key, out var variants) && variants.TryRemove(variant, out _))
        {
            Interlocked.Decrement(ref _count);
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

            if (_entries.TryRemove(key, out var variants))
            {
                Interlocked.Add(ref _count, -variants.Count);
                target -= variants.Count;
            }
        }
    }

    private static int StripeOf(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % Stripes);

    private sealed record Slot(object? Value, long ExpiresAt);
}
