using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

/// <summary>
/// A process-local cache of Redis string keys kept coherent by server-assisted client-side caching
/// (<c>CLIENT TRACKING</c>) over its own RESP3 connection: invalidations arrive as push frames on the connection that
/// did the reads, in order with the replies. Guarantees (see docs/redis-client.md):
/// <list type="bullet">
/// <item>an invalidation push evicts the key before any reply read after it is handed out; a null invalidation
/// (server flush, tracking table full) empties the cache;</item>
/// <item>a read whose key is invalidated while its reply is in flight is returned but not cached;</item>
/// <item>the cache is emptied when the connection is lost, and tracking is enabled in the reconnect handshake before
/// any read is sent, so nothing read on a previous connection, or during an outage, is served afterwards;</item>
/// <item>writes made through this cache (<see cref="SetAsync(string, string, TimeSpan?, SetCondition, CancellationToken)"/>,
/// <see cref="DeleteAsync"/>) are visible to this cache's next read (read-your-own-write), without waiting for the
/// server's invalidation;</item>
/// <item>concurrent misses for one key share one request; entries live at most <see cref="RedisNearCacheOptions.TimeToLive"/>
/// and at most about <see cref="RedisNearCacheOptions.MaxEntries"/> are kept;</item>
/// <item>a hit does not allocate and does not touch the network.</item>
/// </list>
/// A key that another client changes is stale here only for the time its invalidation takes to arrive (about one
/// network hop), as with any Redis client-side cache.
/// </summary>
public sealed class RedisNearCache : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly RedisNearCacheOptions _options;
    private readonly long _ttlMs;
    private readonly Channel<string?> _notifications = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _notifier;
    private RedisClient _client = null!;
    private int _count;
    private int _evicting;
    private long _hits;
    private long _misses;

    private RedisNearCache(RedisNearCacheOptions options)
    {
        _options = options;
        _ttlMs = options.TimeToLive == Timeout.InfiniteTimeSpan ? long.MaxValue / 4 : (long)options.TimeToLive.TotalMilliseconds;
        _notifier = Task.Run(NotifyAsync);
    }

    /// <summary>
    /// Raised for every key the server invalidated (changed, expired, evicted by anyone, this client included), with
    /// null when everything must be considered changed (flush, tracking table overflow, connection lost). Runs on a
    /// background task, one notification at a time in arrival order; a slow handler delays only later notifications.
    /// In <see cref="RedisTrackingMode.Broadcast"/> mode it fires for every key under the prefixes, cached or not; in
    /// the other modes only for keys this cache has read.
    /// </summary>
    public event Action<string?>? Invalidated;

    /// <summary>The client on the tracking connection (writes through it are tracked too). Use it for other commands
    /// as well, but prefer this cache's write methods for cached keys (they guarantee read-your-own-write).</summary>
    public RedisClient Client => _client;

    /// <summary>Approximate number of cached entries.</summary>
    public int Count => Volatile.Read(ref _count);

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <inheritdoc cref="ConnectAsync(RedisOptions, RedisNearCacheOptions?, CancellationToken)"/>
    public static Task<RedisNearCache> ConnectAsync(string url, RedisNearCacheOptions? cacheOptions = null, CancellationToken cancellationToken = default)
        => ConnectAsync(RedisOptions.Parse(url), cacheOptions, cancellationToken);

    /// <summary>Connects a tracking connection (<c>CLIENT TRACKING ON</c> per <paramref name="cacheOptions"/>) and
    /// returns an empty cache. Throws <see cref="RedisConnectionException"/> if that first connection fails.</summary>
    public static async Task<RedisNearCache> ConnectAsync(RedisOptions options, RedisNearCacheOptions? cacheOptions = null, CancellationToken cancellationToken = default)
    {
        cacheOptions ??= new RedisNearCacheOptions();
        var cache = new RedisNearCache(cacheOptions);
        try
        {
            cache._client = await RedisClient.ConnectAsync(options, [TrackingCommand(cacheOptions)], cancellationToken, cache.OnPush, cache.OnDisconnected);
        }
        catch
        {
            cache._notifications.Writer.TryComplete();
            throw;
        }

        return cache;
    }

    private static string[] TrackingCommand(RedisNearCacheOptions options)
    {
        var command = new List<string> { "CLIENT", "TRACKING", "ON" };
        switch (options.Mode)
        {
            case RedisTrackingMode.OptIn:
                command.Add("OPTIN");
                break;
            case RedisTrackingMode.Broadcast:
                command.Add("BCAST");
                foreach (string prefix in options.Prefixes)
                {
                    command.Add("PREFIX");
                    command.Add(prefix);
                }

                break;
        }

        return command.ToArray();
    }

    /// <summary>GET through the cache as UTF-8; null when the key does not exist (absence is cached too).</summary>
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(key, out var entry) && entry is Cached cached && cached.ExpiresAt > Environment.TickCount64)
        {
            Interlocked.Increment(ref _hits);
            return new ValueTask<string?>(cached.Text);
        }

        return GetTextSlowAsync(key, cancellationToken);
    }

    /// <summary>GET through the cache as bytes (shared with the cache: do not mutate); null when the key does not exist.</summary>
    public ValueTask<ReadOnlyMemory<byte>?> GetBytesAsync(string key, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(key, out var entry) && entry is Cached cached && cached.ExpiresAt > Environment.TickCount64)
        {
            Interlocked.Increment(ref _hits);
            return new ValueTask<ReadOnlyMemory<byte>?>(cached.Bytes is null ? null : new ReadOnlyMemory<byte>(cached.Bytes));
        }

        return GetBytesSlowAsync(key, cancellationToken);
    }

    private async ValueTask<string?> GetTextSlowAsync(string key, CancellationToken cancellationToken)
        => (await LoadAsync(key, cancellationToken)).Text;

    private async ValueTask<ReadOnlyMemory<byte>?> GetBytesSlowAsync(string key, CancellationToken cancellationToken)
    {
        var cached = await LoadAsync(key, cancellationToken);
        return cached.Bytes is null ? null : new ReadOnlyMemory<byte>(cached.Bytes);
    }

    private async Task<Cached> LoadAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _misses);
        if (!IsTracked(key))
        {
            return new Cached(await _client.GetBytesAsync(key, cancellationToken), 0);
        }

        while (true)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (existing is Loading inFlight)
                {
                    // Single flight: join the request already on the wire. WaitAsync so that this caller's token
                    // cancels only this caller.
                    return await inFlight.Completion.Task.WaitAsync(cancellationToken);
                }

                if (existing is Cached fresh && fresh.ExpiresAt > Environment.TickCount64)
                {
                    return fresh;
                }

                RemoveEntry(key, existing);
                continue;
            }

            // The marker is this load's version token: an invalidation (or a local write, or a disconnect) removes
            // it, and the TryUpdate in RunLoadAsync then refuses to cache what may be an older value.
            var loading = new Loading();
            if (!_entries.TryAdd(key, loading))
            {
                continue;
            }

            // The request itself ignores this caller's token: other callers may have joined it.
            _ = RunLoadAsync(key, loading);
            return await loading.Completion.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task RunLoadAsync(string key, Loading loading)
    {
        try
        {
            var reply = await _client.SendCheckedAsync(BuildRead(key), CancellationToken.None);
            if (_options.Mode == RedisTrackingMode.OptIn)
            {
                var both = reply.Items;
                RedisClient.ThrowIfError(both[0]);
                RedisClient.ThrowIfError(both[1]);
                reply = both[1];
            }

            var value = new Cached(reply.AsBytes(), Environment.TickCount64 + _ttlMs);
            if (_entries.TryUpdate(key, value, loading) && Interlocked.Increment(ref _count) > _options.MaxEntries)
            {
                EvictSome();
            }

            loading.Completion.TrySetResult(value);
        }
        catch (Exception ex)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, loading));
            loading.Completion.TrySetException(ex);
        }
    }

    private RedisOperation BuildRead(string key)
    {
        if (_options.Mode == RedisTrackingMode.OptIn)
        {
            // One block with two replies: nothing can be written between CLIENT CACHING YES and the GET it applies to.
            var pair = new RedisOperation(expectedReplies: 2);
            pair.Command(3).Arg("CLIENT"u8).Arg("CACHING"u8).Arg("YES"u8);
            pair.Command(2).Arg("GET"u8).Key(key);
            return pair;
        }

        return RedisClient.Key1("GET"u8, key);
    }

    private bool IsTracked(string key)
    {
        if (_options.Mode != RedisTrackingMode.Broadcast || _options.Prefixes.Count == 0)
        {
            return true;
        }

        foreach (string prefix in _options.Prefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>SET through the tracking connection; this cache's next read of the key sees the new value.</summary>
    public ValueTask<bool> SetAsync(string key, string value, TimeSpan? expiry = null, SetCondition condition = SetCondition.Always, CancellationToken cancellationToken = default)
        => WriteAsync(key, RedisClient.BuildSet(key, value, null, expiry, condition), static reply => !reply.IsNull, cancellationToken);

    /// <inheritdoc cref="SetAsync(string, string, TimeSpan?, SetCondition, CancellationToken)"/>
    public ValueTask<bool> SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, SetCondition condition = SetCondition.Always, CancellationToken cancellationToken = default)
        => WriteAsync(key, RedisClient.BuildSet(key, null, value, expiry, condition), static reply => !reply.IsNull, cancellationToken);

    /// <summary>DEL through the tracking connection; true when the key existed.</summary>
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
        => WriteAsync(key, RedisClient.Key1("DEL"u8, key), static reply => reply.AsInt64() == 1, cancellationToken);

    private async ValueTask<bool> WriteAsync(string key, RedisOperation operation, Func<RespValue, bool> convert, CancellationToken cancellationToken)
    {
        var pending = _client.SendCheckedAsync(operation, cancellationToken);

        // After the write is queued: a read that is already in flight (queued before the write) loses its marker and
        // will not be cached; a read that starts from now on is queued after the write and sees its effect. The
        // server's own invalidation for this write arrives only after the write's reply (redis#9422), too late for a
        // read issued right after this method returns.
        Invalidate(key);
        try
        {
            return convert(await pending);
        }
        finally
        {
            Invalidate(key);
        }
    }

    /// <summary>Drops the local entry (and any in-flight read's right to cache). Does not raise <see cref="Invalidated"/>.</summary>
    public void Invalidate(string key)
    {
        if (_entries.TryRemove(key, out var removed) && removed is Cached)
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void RemoveEntry(string key, Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, Entry>(key, entry)) && entry is Cached)
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Empties the cache locally (in-flight reads will not be cached).</summary>
    public void Clear()
    {
        _entries.Clear();
        Volatile.Write(ref _count, 0);
    }

    private void EvictSome()
    {
        if (Interlocked.Exchange(ref _evicting, 1) != 0)
        {
            return;
        }

        try
        {
            int target = Math.Max(0, _options.MaxEntries - Math.Max(1, _options.MaxEntries / 10));
            long now = Environment.TickCount64;
            foreach (var (key, entry) in _entries)
            {
                if (entry is Cached cached && cached.ExpiresAt <= now)
                {
                    RemoveEntry(key, entry);
                }
            }

            foreach (var (key, entry) in _entries)
            {
                if (Volatile.Read(ref _count) <= target)
                {
                    break;
                }

                if (entry is Cached)
                {
                    RemoveEntry(key, entry);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _evicting, 0);
        }
    }

    /// <summary>Runs on the socket reader, before any later reply is handed out: only dictionary removals (lock-free
    /// for readers, no lock held while calling out), and user notifications are queued, never invoked here.</summary>
    private void OnPush(RespValue push)
    {
        var items = push.Items;
        if (items.Length < 2 || !items[0].Span.SequenceEqual("invalidate"u8))
        {
            return;
        }

        if (items[1].IsNull)
        {
            Clear();
            _notifications.Writer.TryWrite(null);
            return;
        }

        foreach (var item in items[1].Items)
        {
            string key = item.AsString()!;
            Invalidate(key);
            _notifications.Writer.TryWrite(key);
        }
    }

    private void OnDisconnected(Exception? error)
    {
        // Invalidations may be lost with the connection, and tracking state dies with it on the server.
        Clear();
        _notifications.Writer.TryWrite(null);
    }

    private async Task NotifyAsync()
    {
        await foreach (string? key in _notifications.Reader.ReadAllAsync())
        {
            try
            {
                Invalidated?.Invoke(key);
            }
            catch (Exception)
            {
                // A subscriber's bug must not stop notifications for the others.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        Clear();
        _notifications.Writer.TryComplete();
        await _notifier;
    }

    private abstract class Entry
    {
    }

    private sealed class Loading : Entry
    {
        public TaskCompletionSource<Cached> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Cached : Entry
    {
        private string? _text;

        public Cached(byte[]? bytes, long expiresAt)
        {
            Bytes = bytes;
            ExpiresAt = expiresAt;
        }

        public byte[]? Bytes { get; }

        public long ExpiresAt { get; }

        /// <summary>Decoded once, on first use; a benign race may decode twice.</summary>
        public string? Text => Bytes is null ? null : _text ??= Encoding.UTF8.GetString(Bytes);
    }
}
