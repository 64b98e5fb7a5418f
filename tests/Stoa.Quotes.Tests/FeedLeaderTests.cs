using Microsoft.Extensions.Logging.Abstractions;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Memory;
using Stoa.Quotes.Core;
using Stoa.Quotes.Feeds;

namespace Stoa.Quotes.Tests;

/// <summary>Leader election over one shared engine (the in-process one stands for Redis: same lease contract).</summary>
public sealed class FeedLeaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Long enough that a renewal delayed by a loaded machine does not lose the lease.
    private static QuotesOptions Options => new() { Feed = "simulated", LeaseTtlSeconds = 3 };

    [Fact]
    public async Task Exactly_one_node_feeds_and_another_takes_over_within_the_ttl_when_it_dies()
    {
        await using var engine = new MemoryEngine();
        var feeds = Enumerable.Range(0, 3).Select(_ => new CountingFeed()).ToArray();
        var connections = feeds.Select(_ => new SeverableLeases(engine)).ToArray();
        var leaders = feeds.Select((f, i) => new FeedLeader(connections[i], f, Options, TimeProvider.System, NullLogger<FeedLeader>.Instance)).ToArray();
        foreach (var leader in leaders)
        {
            await leader.StartAsync(Ct);
        }

        try
        {
            var first = await WaitForSingleLeaderAsync(leaders, feeds);
            await Task.Delay(2000, Ct);
            leaders.Count(l => l.IsLeader).ShouldBe(1, "the lease is renewed, not lost, while the leader lives");
            leaders[first].IsLeader.ShouldBeTrue();

            // It dies with its engine connection: the lease is neither renewed nor released, it has to expire.
            connections[first].Sever();
            var second = await WaitForSingleLeaderAsync(leaders, feeds, except: first);
            second.ShouldNotBe(first);
            feeds[first].Running.ShouldBe(0, "the crashed node stopped feeding");
        }
        finally
        {
            foreach (var leader in leaders)
            {
                await leader.StopAsync(CancellationToken.None);
                leader.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_clean_stop_releases_the_lease_at_once()
    {
        await using var engine = new MemoryEngine();
        var options = new QuotesOptions { Feed = "simulated", LeaseTtlSeconds = 300 };
        var a = new FeedLeader(engine, new CountingFeed(), options, TimeProvider.System, NullLogger<FeedLeader>.Instance);
        await a.StartAsync(Ct);
        await WaitAsync(() => a.IsLeader);
        await a.StopAsync(Ct);
        var lease = await engine.TryAcquireAsync(Storage.QuoteKeys.FeedLease("counting"), TimeSpan.FromSeconds(5), Ct);
        lease.ShouldNotBeNull("a 300 s lease was released on stop, not left to expire");
        a.Dispose();
    }

    [Fact]
    public async Task A_leader_stops_feeding_as_soon_as_a_renewal_fails()
    {
        await using var engine = new MemoryEngine();
        var leases = new FlakyLeases(engine);
        var feed = new CountingFeed();
        var leader = new FeedLeader(leases, feed, Options, TimeProvider.System, NullLogger<FeedLeader>.Instance);
        await leader.StartAsync(Ct);
        try
        {
            await WaitAsync(() => feed.Running == 1);
            leases.FailRenewals = true;
            await WaitAsync(() => feed.Running == 0 && !leader.IsLeader);
            leader.Terms.ShouldBe(1);
        }
        finally
        {
            await leader.StopAsync(CancellationToken.None);
            leader.Dispose();
        }
    }

    private static async Task<int> WaitForSingleLeaderAsync(FeedLeader[] leaders, CountingFeed[] feeds, int except = -1)
    {
        await WaitAsync(() => leaders.Where((_, i) => i != except).Count(l => l.IsLeader) == 1
            && feeds.Where((_, i) => i != except).Sum(f => f.Running) == 1);
        return Array.FindIndex(leaders, l => l.IsLeader);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        // A liveness deadline, not a speed assertion.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "condition not reached");
            await Task.Delay(20, Ct);
        }
    }

    private sealed class CountingFeed : IQuoteFeed
    {
        private int _running;

        public string Name => "counting";

        public int Running => Volatile.Read(ref _running);

        public async Task RunAsync(CancellationToken leadership)
        {
            Interlocked.Increment(ref _running);
            try
            {
                await Task.Delay(Timeout.Infinite, leadership);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    private sealed class FlakyLeases(ILeases inner) : ILeases
    {
        public volatile bool FailRenewals;

        public ValueTask<Lease?> TryAcquireAsync(string key, TimeSpan ttl, CancellationToken cancellationToken) =>
            FailRenewals ? ValueTask.FromResult<Lease?>(null) : inner.TryAcquireAsync(key, ttl, cancellationToken);

        public ValueTask<bool> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken) =>
            FailRenewals ? throw new IOException("engine unreachable") : inner.RenewAsync(lease, ttl, cancellationToken);

        public ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken) => inner.ReleaseAsync(lease, cancellationToken);
    }
}
