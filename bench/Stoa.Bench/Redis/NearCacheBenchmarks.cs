using System.Text;
using BenchmarkDotNet.Attributes;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Redis;

namespace Stoa.Bench.Redis;

/// <summary>
/// A near-cache hit on the Redis engine (a quote as the quotes module reads it): the engine's one near-cache, kept
/// coherent by CLIENT TRACKING, serves it from process memory: no network, no allocation. <c>TryGet</c> is the hot
/// read paths' form; <c>GetOrLoadAsync</c> with a cached delegate is the general one. Both are called on the
/// <see cref="NearCache"/> class, as the library cache they replace was; <c>TryGetHitViaInterface</c> calls it
/// through <see cref="INearCache"/> as the modules do, which adds a generic interface dispatch. <see cref="KeyKind"/>
/// <c>short</c> is the 16-character key the figures before the one near-cache were measured with; <c>quotes</c> is the
/// quotes module's key (app id, module, symbol: 44 characters), which costs more to hash in any dictionary.
/// </summary>
[MemoryDiagnoser]
public class NearCacheBenchmarks
{
    private static readonly Func<CancellationToken, ValueTask<string?>> s_unreachable =
        static _ => throw new InvalidOperationException("A hit must not load.");

    private BenchRedisServer _server = null!;
    private RedisEngine _engine = null!;
    private NearCache _cache = null!;
    private string _key = "";

    [Params("short", "quotes")]
    public string KeyKind { get; set; } = "short";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = BenchRedisServer.Start();
        _engine = await RedisEngine.ConnectAsync(_server.Url, null, TimeSpan.FromSeconds(10), CancellationToken.None);
        _cache = (NearCache)_engine.NearCache;
        _key = KeyKind == "short" ? "bench:quote:AAPL" : EngineKeys.For(Guid.NewGuid(), "quotes", "AAPL");
        await _engine.SetAsync(_key, "189.25"u8.ToArray(), null, CancellationToken.None);
        var cached = await _engine.NearCache.GetOrLoadAsync(_key, "",
            async ct => await _engine.GetAsync(_key, ct) is { } value ? Encoding.UTF8.GetString(value) : null, CancellationToken.None);
        if (cached != "189.25" || !_engine.NearCache.TryGet(_key, "", out string? _))
        {
            throw new InvalidOperationException("The quote was not cached.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _engine.DisposeAsync();
        _server.Dispose();
    }

    [Benchmark(Baseline = true)]
    public string? TryGetHit() => _cache.TryGet(_key, "", out string? value) ? value : null;

    [Benchmark]
    public string? GetOrLoadHit()
    {
        var pending = _cache.GetOrLoadAsync(_key, "", s_unreachable, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public string? TryGetHitViaInterface() => _engine.NearCache.TryGet(_key, "", out string? value) ? value : null;
}
