namespace Stoa.Redis;

/// <summary>How the server decides which keys to send invalidations for (the modes of <c>CLIENT TRACKING</c>).</summary>
public enum RedisTrackingMode
{
    /// <summary>The server remembers every key this connection reads and invalidates exactly those (once each: a key
    /// is tracked again when it is read again).</summary>
    Default,

    /// <summary>Only reads sent right after <c>CLIENT CACHING YES</c> are tracked; <see cref="RedisTracking.GetAsync"/>
    /// sends that pair, so keys read by other commands on the connection cost no server memory.</summary>
    OptIn,

    /// <summary>The server sends an invalidation for every change of a key under the configured prefixes, read or not
    /// (no per-key server memory). No invalidation ever comes for a key outside every prefix.</summary>
    Broadcast,
}
