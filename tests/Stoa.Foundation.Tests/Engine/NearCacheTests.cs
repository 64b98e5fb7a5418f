using System.Globalization;
using Stoa.Foundation.Engine;

namespace Stoa.Foundation.Tests.Engine;

/// <summary>What the near-cache does on its own, whatever feeds it invalidations: its bounds and the cost of a hit.
/// How it stays coherent across nodes is the engine contract's part (EngineContractTests, on every engine).</summary>
public sealed class NearCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Entries_expire_after_the_ttl_and_at_most_max_entries_are_kept()
    {
        var time = new ManualTime();
        var cache = new NearCache(new NearCacheOptions { Ttl = TimeSpan.FromSeconds(1), MaxEntries = 50 }, time);
        var loads = 0;
        ValueTask<int> Load(CancellationToken ct) => ValueTask.FromResult(Interlocked.Increment(ref loads));

        (await cache.GetOrLoadAsync("t", "", Load, Ct)).ShouldBe(1);
        (await cache.GetOrLoadAsync("t", "", Load, Ct)).ShouldBe(1);
        time.Advance(TimeSpan.FromMilliseconds(999));
        cache.TryGet("t", "", out int _).ShouldBeTrue("still within its TTL");
        time.Advance(TimeSpan.FromMilliseconds(2));
        cache.TryGet("t", "", out int _).ShouldBeFalse("expired, although nothing invalidated it");
        (await cache.GetOrLoadAsync("t", "", Load, Ct)).ShouldBe(2);

        for (var i = 0; i < 300; i++)
        {
            await cache.GetOrLoadAsync(i.ToString(CultureInfo.InvariantCulture), "", Load, Ct);
            cache.Count.ShouldBeLessThanOrEqualTo(50);
        }

        cache.Count.ShouldBeGreaterThan(0);
        cache.TryGet("299", "", out int last).ShouldBeTrue("the newest entry is kept");
        last.ShouldBe(302);
    }

    [Fact]
    public async Task Hits_and_misses_are_counted_by_the_module_the_key_names()
    {
        var cache = new NearCache(new NearCacheOptions());
        var app = Guid.NewGuid();
        var quote = EngineKeys.For(app, "quotes", "AAPL");
        var page = EngineKeys.Grouped(app, "follows", "ann", "followers");
        ValueTask<int> Load(CancellationToken ct) => ValueTask.FromResult(1);

        cache.TryGet(quote, "", out int _).ShouldBeFalse();
        await cache.GetOrLoadAsync(quote, "", Load, Ct);
        for (var i = 0; i < 3; i++)
        {
            cache.TryGet(quote, "", out int _).ShouldBeTrue();
        }

        await cache.GetOrLoadAsync(quote, "", Load, Ct);
        await cache.GetOrLoadAsync(page, "page::20", Load, Ct);
        await cache.GetOrLoadAsync("not-an-app-key", "", Load, Ct);

        var counts = cache.CountsByModule.ToDictionary(c => c.Module, c => (c.Hits, c.Misses));
        counts["quotes"].ShouldBe((4L, 1L), "a TryGet that finds nothing is counted by the load that follows it");
        counts["follows"].ShouldBe((0L, 1L));
        counts["other"].ShouldBe((0L, 1L));
    }

    [Fact]
    public async Task A_hit_does_not_allocate()
    {
        var cache = new NearCache(new NearCacheOptions());
        Func<CancellationToken, ValueTask<string>> load = static _ => ValueTask.FromResult("42.17");
        (await cache.GetOrLoadAsync("quote", "", load, Ct)).ShouldBe("42.17");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            cache.TryGet("quote", "", out string? _).ShouldBeTrue();
            var hit = cache.GetOrLoadAsync("quote", "", load, Ct);
            hit.IsCompletedSuccessfully.ShouldBeTrue();
#pragma warning disable xUnit1031 // completed synchronously (asserted above): reading the result does not block
            _ = hit.Result;
#pragma warning restore xUnit1031
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    /// <summary>A clock the test moves: the cache reads expiry from <see cref="TimeProvider.GetTimestamp"/>.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;

        public override long GetTimestamp() => _ticks;
    }
}
