using BenchmarkDotNet.Attributes;
using Stoa.Redis;

namespace Stoa.Bench.Redis;

/// <summary>A near-cache hit: served from process memory, no network, no allocation.</summary>
[MemoryDiagnoser]
public class RedisNearCacheBenchmarks
{
    private const string Key = "bench:quote:AAPL";
    private BenchRedisServer _server = null!;
    private RedisNearCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchRedisServer.Start();
        _cache = RedisNearCache.ConnectAsync(RedisOptions.Parse(_server.Url)).GetAwaiter().GetResult();
        _cache.SetAsync(Key, "189.25").AsTask().GetAwaiter().GetResult();
        _cache.GetAsync(Key).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
    }

    [Benchmark]
    public string? NearCacheHit()
    {
        var pending = _cache.GetAsync(Key);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }
}
