using Stoa.Redis;

namespace Stoa.Foundation.Engine;

/// <summary>
/// Tells "the engine could not be reached or did not answer in time" (a 503 the client may retry: the engine
/// reconnects by itself) from other failures, for modules and the error middleware, which do not name the Redis
/// client's exception types themselves.
/// </summary>
public static class EngineFailure
{
    /// <summary>The Redis connection or timeout failure anywhere in <paramref name="ex"/>'s inner-exception chain.</summary>
    public static RedisException? FindUnreachable(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (IsUnreachableItself(e))
            {
                return (RedisException)e;
            }
        }

        return null;
    }

    public static bool IsUnreachable(Exception ex) => FindUnreachable(ex) is not null;

    /// <summary>
    /// Whether <paramref name="ex"/> itself, not its inner exceptions, is a Redis connection or timeout failure, or a
    /// Redis Cluster's <c>CLUSTERDOWN</c> (a primary failed and its replica is not promoted yet: the slot has no
    /// server for a few seconds, as unreachable as a restarting Redis).
    /// </summary>
    public static bool IsUnreachableItself(Exception ex) =>
        ex is RedisConnectionException or RedisTimeoutException or RedisServerException { Prefix: "CLUSTERDOWN" };
}
