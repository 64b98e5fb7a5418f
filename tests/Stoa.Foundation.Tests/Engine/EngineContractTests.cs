using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Stoa.Foundation.Engine;

namespace Stoa.Foundation.Tests.Engine;

/// <summary>
/// The contract every engine passes, run unchanged against the in-process engine and the Redis engine. "Nodes" are
/// engine instances sharing one backend, as separate Stoa processes would.
/// </summary>
public abstract class EngineContractTests : IAsyncLifetime
{
    private readonly List<IEngine> _nodes = [];

    protected Guid App { get; } = Guid.NewGuid();

    protected IEngine A => _nodes[0];

    protected IEngine B => _nodes[1];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates <paramref name="count"/> nodes over one shared backend.</summary>
    protected abstract Task<IReadOnlyList<IEngine>> CreateNodesAsync(int count);

    public async ValueTask InitializeAsync() => _nodes.AddRange(await CreateNodesAsync(2));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Distinct())
        {
            if (node is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    protected string Key(params string[] parts) => EngineKeys.For(App, "contract", parts);

    /// <summary>A key in the slot of <paramref name="tag"/>: keys one script touches share one on a Redis Cluster.</summary>
    protected string TaggedKey(string tag, params string[] parts) => EngineKeys.Grouped(App, "contract", tag, parts);

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string? Text(byte[]? b) => b is null ? null : Encoding.UTF8.GetString(b);

    protected static async Task Eventually(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"Not true within 10 s: {because}");
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_value_written_on_one_node_is_read_on_another()
    {
        await A.SetAsync(Key("k"), Bytes("v1"), null, Ct);
        Text(await B.GetAsync(Key("k"), Ct)).ShouldBe("v1");
        (await B.DeleteAsync(Key("k"), Ct)).ShouldBeTrue();
        (await A.GetAsync(Key("k"), Ct)).ShouldBeNull();
        (await A.DeleteAsync(Key("k"), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Values_expire_after_their_ttl()
    {
        await A.SetAsync(Key("ttl"), Bytes("x"), TimeSpan.FromMilliseconds(150), Ct);
        await Eventually(async () => await B.GetAsync(Key("ttl"), Ct) is null, "the value expires");
    }

    [Fact]
    public async Task Set_if_absent_sets_only_once()
    {
        (await A.SetIfAbsentAsync(Key("once"), Bytes("first"), null, Ct)).ShouldBeTrue();
        (await B.SetIfAbsentAsync(Key("once"), Bytes("second"), null, Ct)).ShouldBeFalse();
        Text(await A.GetAsync(Key("once"), Ct)).ShouldBe("first");
    }

    [Fact]
    public async Task Versioned_writes_never_go_backwards()
    {
        (await A.SetIfNewerAsync(Key("q"), 5, Bytes("five"), null, Ct)).ShouldBeTrue();
        (await B.SetIfNewerAsync(Key("q"), 3, Bytes("three"), null, Ct)).ShouldBeFalse();
        (await B.SetIfNewerAsync(Key("q"), 5, Bytes("five again"), null, Ct)).ShouldBeFalse();
        (await B.GetVersionedAsync(Key("q"), Ct)).ShouldSatisfyAllConditions(
            v => v!.Version.ShouldBe(5),
            v => Text(v!.Value).ShouldBe("five"));
        (await A.SetIfNewerAsync(Key("q"), 6, Bytes("six"), null, Ct)).ShouldBeTrue();
        Text((await B.GetVersionedAsync(Key("q"), Ct))!.Value).ShouldBe("six");
        (await A.GetVersionedAsync(Key("absent"), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Concurrent_versioned_writes_keep_the_highest_version()
    {
        var versions = Enumerable.Range(1, 200).OrderBy(_ => Random.Shared.Next()).ToList();
        await Task.WhenAll(versions.Select((v, i) => (i % 2 == 0 ? A : B).SetIfNewerAsync(Key("race"), v, Bytes($"v{v}"), null, Ct).AsTask()));
        var final = await A.GetVersionedAsync(Key("race"), Ct);
        final!.Version.ShouldBe(200);
        Text(final.Value).ShouldBe("v200");
    }

    [Fact]
    public async Task Concurrent_increments_from_two_nodes_are_all_counted()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? A : B).IncrementAsync(Key("n"), 1, null, Ct).AsTask()));
        (await A.IncrementAsync(Key("n"), 0, null, Ct)).ShouldBe(200);
        (await B.IncrementAsync(Key("n"), -50, null, Ct)).ShouldBe(150);
    }

    [Fact]
    public async Task A_counter_created_with_a_ttl_expires()
    {
        await A.IncrementAsync(Key("window"), 1, TimeSpan.FromMilliseconds(150), Ct);
        await Eventually(async () => await A.IncrementAsync(Key("window"), 0, TimeSpan.FromMinutes(1), Ct) == 0, "the counter expires and restarts at 0");
    }

    [Fact]
    public async Task Sorted_sets_order_by_score_then_member_like_redis()
    {
        var key = Key("z");
        (await A.AddAsync(key, "b", 1, Ct)).ShouldBeTrue();
        (await A.AddAsync(key, "a", 1, Ct)).ShouldBeTrue();
        (await B.AddAsync(key, "c", 0.5, Ct)).ShouldBeTrue();
        (await B.AddAsync(key, "d", 2, Ct)).ShouldBeTrue();
        (await A.AddAsync(key, "c", 3, Ct)).ShouldBeFalse("updating a score adds no member");

        var ascending = await B.RangeByScoreAsync(key, ScoreBound.MinusInfinity, ScoreBound.PlusInfinity, false, 0, 10, Ct);
        ascending.Select(e => e.Member).ShouldBe(["a", "b", "d", "c"]);
        var descending = await B.RangeByScoreAsync(key, ScoreBound.MinusInfinity, ScoreBound.PlusInfinity, true, 0, 10, Ct);
        descending.Select(e => e.Member).ShouldBe(["c", "d", "b", "a"]);
        descending[0].Score.ShouldBe(3);

        (await A.ScoreAsync(key, "d", Ct)).ShouldBe(2);
        (await A.ScoreAsync(key, "zz", Ct)).ShouldBeNull();
        (await B.CountAsync(key, Ct)).ShouldBe(4);
        (await A.RemoveAsync(key, "a", Ct)).ShouldBeTrue();
        (await A.RemoveAsync(key, "a", Ct)).ShouldBeFalse();
        (await B.CountAsync(key, Ct)).ShouldBe(3);
        (await B.CountAsync(Key("none"), Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Score_ranges_honour_exclusive_bounds_offset_and_count()
    {
        var key = Key("page");
        await A.AddManyAsync(key, [.. Enumerable.Range(1, 50).Select(i => new SortedSetEntry($"m{i:D2}", i))], Ct);

        // Keyset paging newest first: each page starts strictly below the last score seen.
        var seen = new List<string>();
        var bound = ScoreBound.PlusInfinity;
        while (true)
        {
            var page = await B.RangeByScoreAsync(key, ScoreBound.MinusInfinity, bound, true, 0, 7, Ct);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(e => e.Member));
            bound = new ScoreBound(page[^1].Score, Exclusive: true);
        }

        seen.ShouldBe(Enumerable.Range(1, 50).Reverse().Select(i => $"m{i:D2}"));
        (await A.RangeByScoreAsync(key, new ScoreBound(10), new ScoreBound(20, true), false, 2, 3, Ct))
            .Select(e => e.Member).ShouldBe(["m12", "m13", "m14"]);
        (await A.RangeByScoreAsync(key, new ScoreBound(10, true), new ScoreBound(12), false, 0, 10, Ct))
            .Select(e => e.Member).ShouldBe(["m11", "m12"]);
    }

    [Fact]
    public async Task Versioned_sorted_set_changes_converge_on_the_newest_whatever_the_arrival_order()
    {
        var followers = TaggedKey("graph", "followers", "bob");
        var following = TaggedKey("graph", "following", "alice");
        var versions = TaggedKey("graph", "v", "bob");
        SortedSetChange[] Follow(double at) => [SortedSetChange.Add(followers, "alice", at), SortedSetChange.Add(following, "bob", at)];
        SortedSetChange[] Unfollow() => [SortedSetChange.Remove(followers, "alice"), SortedSetChange.Remove(following, "bob")];

        // Version 3 (unfollow) arrives before version 2 (follow): the late follow must not resurrect the edge.
        (await A.ApplyIfNewerAsync(versions, "alice", 1, Follow(1), Ct)).ShouldBeTrue();
        (await B.ApplyIfNewerAsync(versions, "alice", 3, Unfollow(), Ct)).ShouldBeTrue();
        (await A.ApplyIfNewerAsync(versions, "alice", 2, Follow(2), Ct)).ShouldBeFalse();
        (await A.ScoreAsync(followers, "alice", Ct)).ShouldBeNull();
        (await B.CountAsync(following, Ct)).ShouldBe(0);

        (await B.ApplyIfNewerAsync(versions, "alice", 4, Follow(4), Ct)).ShouldBeTrue();
        (await A.ScoreAsync(followers, "alice", Ct)).ShouldBe(4);
        (await A.ScoreAsync(following, "bob", Ct)).ShouldBe(4);
        (await A.ApplyIfNewerAsync(versions, "carol", 1, [SortedSetChange.Add(followers, "carol", 5)], Ct)).ShouldBeTrue("versions are per field");
        (await B.CountAsync(followers, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task Concurrent_versioned_changes_leave_the_state_of_the_highest_version()
    {
        var set = TaggedKey("race", "set");
        var versions = Enumerable.Range(1, 100).OrderBy(_ => Random.Shared.Next()).ToList();
        await Task.WhenAll(versions.Select((v, i) => (i % 2 == 0 ? A : B).ApplyIfNewerAsync(TaggedKey("race", "v"), "m", v,
            v % 2 == 0 ? [SortedSetChange.Add(set, "m", v)] : [SortedSetChange.Remove(set, "m")], Ct).AsTask()));
        (await A.ScoreAsync(set, "m", Ct)).ShouldBe(100);
    }

    [Fact]
    public async Task A_lease_has_one_holder_among_concurrent_takers()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? A : B).TryAcquireAsync(Key("leader"), TimeSpan.FromSeconds(30), Ct).AsTask()));
        var lease = attempts.Where(l => l is not null).ShouldHaveSingleItem()!;

        (await A.ReleaseAsync(lease with { Token = "forged" }, Ct)).ShouldBeFalse();
        (await B.RenewAsync(lease with { Token = "forged" }, TimeSpan.FromSeconds(30), Ct)).ShouldBeFalse();
        (await A.TryAcquireAsync(Key("leader"), TimeSpan.FromSeconds(30), Ct)).ShouldBeNull();
        (await B.RenewAsync(lease, TimeSpan.FromSeconds(30), Ct)).ShouldBeTrue();
        (await B.ReleaseAsync(lease, Ct)).ShouldBeTrue();
        (await A.TryAcquireAsync(Key("leader"), TimeSpan.FromSeconds(30), Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task An_expired_lease_goes_to_the_next_taker_and_the_old_holder_cannot_release_it()
    {
        var first = await A.TryAcquireAsync(Key("lease"), TimeSpan.FromMilliseconds(150), Ct);
        first.ShouldNotBeNull();
        Lease? second = null;
        await Eventually(async () => (second = await B.TryAcquireAsync(Key("lease"), TimeSpan.FromSeconds(30), Ct)) is not null, "the lease expires");
        (await A.ReleaseAsync(first, Ct)).ShouldBeFalse();
        (await A.RenewAsync(first, TimeSpan.FromSeconds(30), Ct)).ShouldBeFalse();
        (await B.ReleaseAsync(second!, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Token_buckets_allow_their_capacity_across_nodes_then_refuse_with_a_wait()
    {
        var policy = new RateLimitPolicy(Capacity: 10, TokensPerSecond: 0.5);
        var decisions = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            (i % 2 == 0 ? A : B).TryTakeAsync(Key("bucket"), policy, 1, Ct).AsTask()));
        decisions.Count(d => d.Allowed).ShouldBe(10);
        var refused = decisions.First(d => !d.Allowed);
        refused.RetryAfter.ShouldBeGreaterThan(TimeSpan.Zero);
        refused.RetryAfter.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(2.1));
        refused.Remaining.ShouldBe(0);
    }

    [Fact]
    public async Task Token_buckets_refill_over_time_and_are_separate_per_key()
    {
        var policy = new RateLimitPolicy(Capacity: 2, TokensPerSecond: 20);
        (await A.TryTakeAsync(Key("r"), policy, 2, Ct)).Allowed.ShouldBeTrue();
        (await A.TryTakeAsync(Key("r"), policy, 1, Ct)).Allowed.ShouldBeFalse();
        (await A.TryTakeAsync(Key("other"), policy, 1, Ct)).Allowed.ShouldBeTrue();
        await Eventually(async () => (await B.TryTakeAsync(Key("r"), policy, 1, Ct)).Allowed, "the bucket refills");
    }

    [Fact]
    public async Task Published_messages_reach_subscribers_on_other_nodes_in_order()
    {
        var received = new ConcurrentQueue<string>();
        var all = new TaskCompletionSource();
        await using (await B.SubscribeAsync(Key("chan"), (channel, payload) =>
        {
            channel.ShouldBe(Key("chan"));
            received.Enqueue(Encoding.UTF8.GetString(payload.Span));
            if (received.Count == 100)
            {
                all.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }, Ct))
        {
            await using var other = await B.SubscribeAsync(Key("other-chan"), (_, _) => throw new ShouldAssertException("wrong channel"), Ct);
            for (var i = 0; i < 100; i++)
            {
                await A.PublishAsync(Key("chan"), Bytes($"m{i}"), Ct);
            }

            await all.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }

        received.ShouldBe(Enumerable.Range(0, 100).Select(i => $"m{i}"));
        await A.PublishAsync(Key("chan"), Bytes("after"), Ct);
        await Task.Delay(100, Ct);
        received.Count.ShouldBe(100, "nothing arrives after the subscription is disposed");
    }

    [Fact]
    public async Task Near_cache_serves_from_memory_until_another_node_writes_the_key()
    {
        var key = Key("price");
        await A.SetAsync(key, Bytes("100"), null, Ct);
        var loads = 0;
        async ValueTask<string?> Load(CancellationToken ct)
        {
            Interlocked.Increment(ref loads);
            return Text(await B.GetAsync(key, ct));
        }

        B.NearCache.TryGet(key, "", out string? _).ShouldBeFalse("nothing is cached before the first load");
        (await B.NearCache.GetOrLoadAsync(key, "", Load, Ct)).ShouldBe("100");
        (await B.NearCache.GetOrLoadAsync(key, "", Load, Ct)).ShouldBe("100");
        loads.ShouldBe(1);
        B.NearCache.TryGet(key, "", out string? hit).ShouldBeTrue();
        hit.ShouldBe("100");
        B.NearCache.TryGet(key, "other", out string? _).ShouldBeFalse("another variant was never loaded");
        B.NearCache.TryGet(key, "", out int _).ShouldBeFalse("cached as another type");

        var invalidated = new TaskCompletionSource();
        B.NearCache.Invalidated += k =>
        {
            if (k == key || k is null)
            {
                invalidated.TrySetResult();
            }
        };
        await A.SetAsync(key, Bytes("101"), null, Ct);
        await invalidated.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        B.NearCache.TryGet(key, "", out string? _).ShouldBeFalse("the invalidation dropped the entry");
        (await B.NearCache.GetOrLoadAsync(key, "", Load, Ct)).ShouldBe("101");
        loads.ShouldBe(2);
    }

    [Fact]
    public async Task Near_cache_drops_every_variant_of_a_key_when_its_sorted_set_changes()
    {
        var key = Key("followers");
        await A.AddAsync(key, "u1", 1, Ct);
        ValueTask<long> Count(CancellationToken ct) => B.CountAsync(key, ct);
        (await B.NearCache.GetOrLoadAsync(key, "count", Count, Ct)).ShouldBe(1);
        (await B.NearCache.GetOrLoadAsync(key, "page1", async ct => (await B.RangeByScoreAsync(key, ScoreBound.MinusInfinity, ScoreBound.PlusInfinity, true, 0, 10, ct)).Count, Ct)).ShouldBe(1);

        await A.AddAsync(key, "u2", 2, Ct);
        await Eventually(async () => await B.NearCache.GetOrLoadAsync(key, "count", Count, Ct) == 2, "the count variant is invalidated");
        (await B.NearCache.GetOrLoadAsync(key, "page1", async ct => (await B.RangeByScoreAsync(key, ScoreBound.MinusInfinity, ScoreBound.PlusInfinity, true, 0, 10, ct)).Count, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task A_nodes_own_write_is_visible_to_its_next_near_cache_read()
    {
        // The server announces a node's own write after the write's reply (redis#9422): the node must not wait for it.
        var key = Key("own");
        async ValueTask<string?> Load(CancellationToken ct) => Text(await A.GetAsync(key, ct));
        for (var i = 0; i < 100; i++)
        {
            var value = i.ToString(CultureInfo.InvariantCulture);

            // A read racing the write, then one right after it: the latter must see the write.
            var racing = A.NearCache.GetOrLoadAsync(key, "", Load, Ct);
            await A.SetAsync(key, Bytes(value), null, Ct);
            (await A.NearCache.GetOrLoadAsync(key, "", Load, Ct)).ShouldBe(value);
            await racing;
        }

        (await A.DeleteAsync(key, Ct)).ShouldBeTrue();
        (await A.NearCache.GetOrLoadAsync(key, "", Load, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Near_cache_never_stays_stale_under_concurrent_writes_and_reads()
    {
        string[] keys = [Key("a"), Key("b"), Key("c")];
        async ValueTask<string?> Load(string key, CancellationToken ct) => Text(await B.GetAsync(key, ct));
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var key = keys[r % keys.Length];
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                await B.NearCache.GetOrLoadAsync(key, "", ct => Load(key, ct), Ct);
                if (n % 64 == 0)
                {
                    // Hits complete synchronously: without a pause these loops would starve the 2 shared cores.
                    await Task.Delay(1, Ct);
                }
            }
        }, Ct)).ToArray();
        var writers = keys.Select(key => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await A.SetAsync(key, Bytes(i.ToString(CultureInfo.InvariantCulture)), null, Ct);
            }
        }, Ct)).ToArray();
        await Task.WhenAll(writers);

        // Once the writes stop, every key must converge to its last value: no invalidation was lost or overtaken.
        foreach (var key in keys)
        {
            await Eventually(async () => await B.NearCache.GetOrLoadAsync(key, "", ct => Load(key, ct), Ct) == "199", $"{key} converges");
        }

        stop.Cancel();
        await Task.WhenAll(readers);
        foreach (var key in keys)
        {
            (await B.NearCache.GetOrLoadAsync(key, "", ct => Load(key, ct), Ct)).ShouldBe("199");
        }
    }

    [Fact]
    public async Task Concurrent_near_cache_misses_share_one_load()
    {
        var loads = 0;
        var release = new TaskCompletionSource();
        async ValueTask<string> Load(CancellationToken ct)
        {
            Interlocked.Increment(ref loads);
            await release.Task;
            return "loaded";
        }

        var readers = Enumerable.Range(0, 50).Select(_ => A.NearCache.GetOrLoadAsync(Key("hot"), "", Load, Ct).AsTask()).ToList();
        await Task.Delay(50, Ct);
        release.SetResult();
        (await Task.WhenAll(readers)).ShouldAllBe(v => v == "loaded");
        loads.ShouldBe(1);
    }

    [Fact]
    public async Task A_value_invalidated_while_it_was_loading_is_not_cached()
    {
        var key = Key("racy");
        var (first, finishLoad) = await LoadOnBOverlappingAWriteAsync(key);
        finishLoad.SetResult();
        (await first).ShouldBe("old", "the caller that started before the write gets what it read");

        (await B.NearCache.GetOrLoadAsync(key, "", async ct => Text(await B.GetAsync(key, ct)), Ct)).ShouldBe("new");
    }

    [Fact]
    public async Task A_read_that_begins_after_an_invalidation_does_not_join_a_load_that_began_before_it()
    {
        var key = Key("joined");
        var (first, finishLoad) = await LoadOnBOverlappingAWriteAsync(key);

        // The first load is still in flight with the old value: joining it would serve that value after the
        // invalidation was delivered.
        var later = B.NearCache.GetOrLoadAsync(key, "", async ct => Text(await B.GetAsync(key, ct)), Ct).AsTask();
        finishLoad.SetResult();
        (await first).ShouldBe("old");
        (await later).ShouldBe("new", "a read that began after the invalidation loads afresh");
        B.NearCache.TryGet(key, "", out string? cached).ShouldBeTrue();
        cached.ShouldBe("new", "the older load does not overwrite the newer one's entry");
    }

    /// <summary>
    /// B's near-cache loads <paramref name="key"/> and reads "old"; A then writes "new" and B receives the
    /// invalidation, while B's load is held in flight until the returned source is completed.
    /// </summary>
    private async Task<(Task<string?> Load, TaskCompletionSource Finish)> LoadOnBOverlappingAWriteAsync(string key)
    {
        await A.SetAsync(key, Bytes("old"), null, Ct);
        var loadStarted = new TaskCompletionSource();
        var finishLoad = new TaskCompletionSource();
        var invalidated = new TaskCompletionSource();
        B.NearCache.Invalidated += k =>
        {
            if (k == key || k is null)
            {
                invalidated.TrySetResult();
            }
        };

        var load = B.NearCache.GetOrLoadAsync(key, "", async ct =>
        {
            var value = Text(await B.GetAsync(key, ct));
            loadStarted.SetResult();
            await finishLoad.Task;
            return value;
        }, Ct).AsTask();

        await loadStarted.Task;
        await A.SetAsync(key, Bytes("new"), null, Ct);
        await invalidated.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return (load, finishLoad);
    }

    [Fact]
    public async Task An_event_log_appended_on_one_node_is_read_after_an_id_on_another_in_order()
    {
        var key = Key("log");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await (i % 2 == 0 ? A : B).AppendAsync(key, Bytes($"e{i}"), 100, TimeSpan.FromMinutes(1), Ct));
        }

        ids.ShouldBe(ids.OrderBy(id => id, Comparer<string>.Create(EventIds.Compare)).ToList(), "ids grow with every append");
        ids.Distinct().Count().ShouldBe(5);
        var read = await B.ReadAfterAsync(key, ids[1], 10, Ct);
        read.Found.ShouldBeTrue();
        read.Entries.Select(e => e.Id).ShouldBe(ids[2..]);
        read.Entries.Select(e => Text(e.Entry)).ShouldBe(["e2", "e3", "e4"]);
        (await A.ReadAfterAsync(key, ids[0], 2, Ct)).Entries.Select(e => Text(e.Entry)).ShouldBe(["e1", "e2"]);
        (await A.ReadAfterAsync(key, ids[^1], 10, Ct)).ShouldSatisfyAllConditions(r => r.Found.ShouldBeTrue(), r => r.Entries.ShouldBeEmpty());
    }

    [Fact]
    public async Task An_event_log_keeps_its_last_entries_and_says_when_an_id_fell_out()
    {
        var key = Key("trimmed");
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await A.AppendAsync(key, Bytes($"e{i}"), 4, TimeSpan.FromMinutes(1), Ct));
        }

        (await B.ReadAfterAsync(key, ids[0], 10, Ct)).Found.ShouldBeFalse("the first entries were trimmed away");
        var kept = await B.ReadAfterAsync(key, ids[6], 10, Ct);
        kept.Found.ShouldBeTrue();
        kept.Entries.Select(e => Text(e.Entry)).ShouldBe(["e7", "e8", "e9"]);
        (await B.ReadAfterAsync(key, "1-0", 10, Ct)).Found.ShouldBeFalse("an id the log never had");
        (await B.ReadAfterAsync(key, "not an id", 10, Ct)).Found.ShouldBeFalse();
        (await B.ReadAfterAsync(Key("no log"), ids[9], 10, Ct)).Found.ShouldBeFalse();
    }

    [Fact]
    public async Task An_event_log_expires_after_its_last_append()
    {
        var key = Key("expiring log");
        var id = await A.AppendAsync(key, Bytes("x"), 10, TimeSpan.FromMilliseconds(300), Ct);
        (await B.ReadAfterAsync(key, id, 10, Ct)).Found.ShouldBeTrue();
        await Eventually(async () => !(await B.ReadAfterAsync(key, id, 10, Ct)).Found, "the log expired");
    }

    [Fact]
    public async Task Keys_of_different_apps_never_collide()
    {
        var other = Guid.NewGuid();
        var mine = EngineKeys.For(App, "comments", "thread", "42");
        var theirs = EngineKeys.For(other, "comments", "thread", "42");
        mine.ShouldNotBe(theirs);
        EngineKeys.For(App, "m", "a:b", "c").ShouldNotBe(EngineKeys.For(App, "m", "a", "b:c"));

        await A.SetAsync(mine, Bytes("A's"), null, Ct);
        (await B.GetAsync(theirs, Ct)).ShouldBeNull();
    }
}
