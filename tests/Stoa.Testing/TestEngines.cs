namespace Stoa.Testing;

/// <summary>
/// The Redis a multi-node test runs its nodes on, by name, so one test can run on both shapes a deployment uses:
/// <c>redis</c> (one server) and <c>redis-cluster</c> (3 primaries and 3 replicas, where a cross-slot script or
/// transaction is refused before it is sent).
/// </summary>
public static class TestEngines
{
    public const string Redis = "redis";
    public const string RedisCluster = "redis-cluster";

    public static async Task<string> UrlAsync(string engine) => engine switch
    {
        Redis => (await RedisServer.Shared).Url,
        RedisCluster => (await RedisClusterServer.Shared).Url,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "redis or redis-cluster"),
    };
}
