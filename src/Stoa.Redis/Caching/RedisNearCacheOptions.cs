namespace Stoa.Redis;

/// <summary>How the server tracks what the near-cache holds (CLIENT TRACKING modes).</summary>
public enum RedisTrackingMode
{
    /// <summary>The server remembers every key this connection reads and invalidates exactly those.</summary>
    Default,

    /// <summary>Only reads sent right after <c>CLIENT CACHING YES</c> are tracked; the cache sends that pair for every
    /// miss, so no key read by other commands on this connection costs server memory.</summary>
    OptIn,

    /// <summary>The server sends invalidations for every key under the configured prefixes (no per-key server memory).
    /// Keys outside every prefix are read through without caching, since no invalidation would ever come for them.</summary>
    Broadcast,
}

/// <summary>Options of a <see cref="RedisNearCache"/>.</summary>
public sealed class RedisNearCacheOptions
{
    public RedisTrackingMode Mode { get; set; } = RedisTrackingMode.Default;

    /// <summary>Prefixes for <see cref="RedisTrackingMode.Broadcast"/>; empty means every key.</summary>
    public IReadOnlyList<string> Prefixes { get; set; } = [];

    /// <summary>Longest time an entry is served without asking Redis again, even with no invalidation; bounds the harm
    /// of a lost invalidation. <see cref="Timeout.InfiniteTimeSpan"/> keeps entries until invalidated or evicted.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound of cached entries; when reached, expired entries and then arbitrary ones (about a tenth)
    /// are evicted. Not an LRU.</summary>
    public int MaxEntries { get; set; } = 100_000;
}
