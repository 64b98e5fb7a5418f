using Stoa.Foundation.Engine.Memory;

namespace Stoa.Foundation.Tests.Engine;

public sealed class MemoryEngineBoundTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Past_its_bound_the_engine_evicts_least_recently_used_keys_with_an_expiry_first()
    {
        await using var engine = new MemoryEngine(maxBytes: 1024 * 1024);
        await engine.SetAsync("lasting:1", new byte[1000], ttl: null, Ct);
        await engine.SetAsync("expiring:hot", new byte[1000], TimeSpan.FromHours(1), Ct);
        var value = new byte[4000];
        for (var i = 0; i < 2000; i++)
        {
            await engine.SetAsync($"expiring:{i}", value, TimeSpan.FromHours(1), Ct);
            if (i % 100 == 0)
            {
                // Read often, so it stays among the most recently used.
                (await engine.GetAsync("expiring:hot", Ct)).ShouldNotBeNull();
            }
        }

        engine.ApproximateBytes.ShouldBeLessThanOrEqualTo(engine.MaxBytes);
        (await engine.GetAsync("lasting:1", Ct)).ShouldNotBeNull("keys without an expiry go last");
        (await engine.GetAsync("expiring:hot", Ct)).ShouldNotBeNull("recently used");
        (await engine.GetAsync("expiring:0", Ct)).ShouldBeNull("least recently used");
        (await engine.GetAsync("expiring:1999", Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task When_only_keys_without_expiry_are_left_they_are_evicted_too_so_memory_stays_bounded()
    {
        await using var engine = new MemoryEngine(maxBytes: 256 * 1024);
        for (var i = 0; i < 1000; i++)
        {
            await engine.AddAsync($"set:{i}", new string('m', 100), i, Ct);
            await engine.SetAsync($"value:{i}", new byte[500], ttl: null, Ct);
        }

        engine.ApproximateBytes.ShouldBeLessThanOrEqualTo(engine.MaxBytes);
        engine.KeyCount.ShouldBeLessThan(2000);
        (await engine.GetAsync("value:999", Ct)).ShouldNotBeNull();
    }
}
