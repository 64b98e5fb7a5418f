using BenchmarkDotNet.Attributes;
using Stoa.Bench.Redis;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Redis;

namespace Stoa.Bench.Follows;

/// <summary>
/// A followers page (20 newest of 1,000) from the Redis engine: served from process memory by the near-cache, versus
/// read from Redis (ZRANGE … BYSCORE REV LIMIT) on every request, as the follows module does without the cache.
/// </summary>
[MemoryDiagnoser]
public class FollowersPageBenchmarks
{
    private BenchRedisServer? _server;
    private RedisEngine? _engine;
    private string _key = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var url = Environment.GetEnvironmentVariable("STOA_BENCH_REDIS_URL");
        if (url is null)
        {
            _server = BenchRedisServer.Start();
            url = _server.Url;
        }

        _engine = await RedisEngine.ConnectAsync(url, null, TimeSpan.FromSeconds(10), CancellationToken.None);
        _key = EngineKeys.For(Guid.NewGuid(), "follows", "followers", "star");
        await _engine.AddManyAsync(_key, [.. Enumerable.Range(0, 1000).Select(i => new SortedSetEntry($"user{i:D4}", 1_700_000_000_000 + i))], CancellationToken.None);
        await CachedPage();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _server?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ValueTask<IReadOnlyList<SortedSetEntry>> UncachedPage() =>
        _engine!.RangeByScoreAsync(_key, ScoreBound.MinusInfinity, ScoreBound.PlusInfinity, descending: true, 0, 20, CancellationToken.None);

    [Benchmark]
    public ValueTask<IReadOnlyList<SortedSetEntry>> CachedPage() =>
        _engine!.NearCache.GetOrLoadAsync(_key, "page::20", ct => UncachedPageWith(ct), CancellationToken.None);

    private ValueTask<IReadOnlyList<SortedSetEntry>> UncachedPageWith(CancellationToken ct) =>
        _engine!.RangeByScoreAsync(_key, ScoreBound.MinusInfinity, ScoreBound.PlusInfinity, descending: true, 0, 20, ct);
}
