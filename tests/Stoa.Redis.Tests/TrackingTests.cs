using System.Collections.Concurrent;
using Stoa.Testing;

namespace Stoa.Redis.Tests;

/// <summary>The tracking connection and its invalidation stream: what arrives in each mode, in which order relative to
/// replies, and the flush signal when the server flushes or the connection is lost. What a cache does with the stream
/// is tested on the one cache that uses it (Foundation's engine contract suite).</summary>
public sealed class TrackingTests
{
    [Theory]
    [InlineData(RedisTrackingMode.Default)]
    [InlineData(RedisTrackingMode.OptIn)]
    [InlineData(RedisTrackingMode.Broadcast)]
    public async Task Each_mode_invalidates_the_keys_it_tracks_and_no_others(RedisTrackingMode mode)
    {
        var options = await RedisFixture.SharedOptionsAsync();
        string p = RedisServer.NewPrefix();
        string read = p + "in:read", plain = p + "in:plain", unread = p + "in:unread", outside = p + "out";
        await using var tracking = await RedisTracking.ConnectAsync(options, new RedisTrackingOptions { Mode = mode, Prefixes = [p + "in:"] });
        await using var writer = await RedisClient.ConnectAsync(options);
        var invalidated = new ConcurrentQueue<string?>();
        tracking.Invalidated += invalidated.Enqueue;
        foreach (string key in new[] { read, plain, outside })
        {
            await writer.SetAsync(key, "v1");
        }

        if (mode == RedisTrackingMode.Broadcast)
        {
            // Broadcasts of these first writes are batched by the server and may trail the reads below: let them land.
            await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(read) && invalidated.Contains(plain)), "the first broadcasts arrive");
            invalidated.Clear();
        }

        (await tracking.GetAsync(read)).ShouldBe("v1");
        (await tracking.Client.GetAsync(plain)).ShouldBe("v1", "a read that does not opt in");
        (await tracking.GetAsync(outside)).ShouldBe("v1");
        (await tracking.GetAsync(p + "in:absent")).ShouldBeNull();

        // One connection carries every push in the server's order: once the last write's invalidation is here, an
        // invalidation for an earlier write would have been too.
        foreach (string key in new[] { unread, plain, outside, p + "in:absent", read })
        {
            await writer.SetAsync(key, "v2");
        }

        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(read)), "the read key is invalidated");
        invalidated.ShouldContain(p + "in:absent", "absence is tracked too");
        invalidated.Contains(plain).ShouldBe(mode != RedisTrackingMode.OptIn, "OPTIN tracks only reads after CLIENT CACHING YES");
        invalidated.Contains(unread).ShouldBe(mode == RedisTrackingMode.Broadcast, "only BCAST tracks what was never read");
        invalidated.Contains(outside).ShouldBe(mode != RedisTrackingMode.Broadcast, "BCAST tracks its prefixes only");
        invalidated.ShouldNotContain((string?)null);
        tracking.Tracks(read).ShouldBeTrue();
        tracking.Tracks(outside).ShouldBe(mode != RedisTrackingMode.Broadcast);
    }

    [Fact]
    public async Task An_invalidation_runs_before_the_reply_that_follows_it_is_handed_out()
    {
        // Lettuce #3481: the invalidation for a key arrives before an older value read for it. A cache that drops the
        // key in its handler must already have done so when that read completes, or it would keep the older value.
        await using var fake = FakeRedisServer.InvalidatingFirstRead();
        await using var tracking = await RedisTracking.ConnectAsync(fake.Url);
        var invalidated = new ConcurrentQueue<string?>();
        tracking.Invalidated += invalidated.Enqueue;
        (await tracking.GetAsync("k")).ShouldBe("old");
        invalidated.ShouldHaveSingleItem().ShouldBe("k", "the handler ran before the reply behind the push was handed out");
        (await tracking.GetAsync("k")).ShouldBe("new");
    }

    [Fact]
    public async Task A_null_invalidation_signals_a_flush()
    {
        await using var server = await RedisServer.StartAsync();
        var options = RedisOptions.Parse(server.Url);
        await using var tracking = await RedisTracking.ConnectAsync(options);
        await using var admin = await RedisClient.ConnectAsync(options);
        var invalidated = new ConcurrentQueue<string?>();
        tracking.Invalidated += invalidated.Enqueue;
        await admin.SetAsync("a", "1");
        (await tracking.GetAsync("a")).ShouldBe("1");
        await admin.ExecuteAsync("FLUSHALL");
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(null)), "the flush arrives");
        tracking.Client.IsConnected.ShouldBeTrue("a flush from the server, not a lost connection");
    }

    [Fact]
    public async Task A_restart_signals_a_flush_and_a_read_queued_during_the_outage_is_tracked()
    {
        await using var server = await RedisServer.StartAsync();
        var options = RedisOptions.Parse(server.Url);
        options.CommandTimeout = TimeSpan.FromSeconds(30);
        await using var tracking = await RedisTracking.ConnectAsync(options);
        await using var writer = await RedisClient.ConnectAsync(server.Url);
        var invalidated = new ConcurrentQueue<string?>();
        tracking.Invalidated += invalidated.Enqueue;
        await writer.SetAsync("price", "100");
        (await tracking.GetAsync("price")).ShouldBe("100");

        server.Kill();
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(null)), "the lost connection is signalled as a flush");
        tracking.Client.IsConnected.ShouldBeFalse();

        // Queued while the server is down: it is sent on the new connection, whose handshake must have turned tracking
        // on before it, or the change below would never be announced.
        var queued = tracking.GetAsync("price").AsTask();
        await server.RestartAsync();
        (await queued).ShouldBeNull("the restarted server lost the value");
        await RedisFixture.EventuallySucceedsAsync(async () => await writer.SetAsync("price", "200"), "the writer is back");
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains("price")), "the read made during the outage is tracked");
        invalidated.Count(k => k is null).ShouldBe(1, "one loss, one flush");
    }

    [Fact]
    public async Task Client_kill_of_the_tracking_connection_signals_a_flush_and_the_new_connection_tracks()
    {
        var options = await RedisFixture.SharedOptionsAsync();
        string key = RedisServer.NewPrefix() + "killed";
        await using var tracking = await RedisTracking.ConnectAsync(options);
        await using var admin = await RedisClient.ConnectAsync(options);
        var invalidated = new ConcurrentQueue<string?>();
        tracking.Invalidated += invalidated.Enqueue;
        await admin.SetAsync(key, "1");
        long id = (await tracking.Client.ExecuteAsync("CLIENT", "ID")).AsInt64();
        (await tracking.GetAsync(key)).ShouldBe("1");

        await admin.ExecuteAsync("CLIENT", "KILL", "ID", id);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(null)), "the loss is signalled as a flush");
        await RedisFixture.EventuallySucceedsAsync(async () => await tracking.GetAsync(key) == "1", "the key is read on the new connection");
        var info = await tracking.Client.ExecuteAsync("CLIENT", "TRACKINGINFO");
        info.Items[1].Items[0].AsString().ShouldBe("on");
        await admin.SetAsync(key, "2");
        await RedisFixture.EventuallyAsync(() => Task.FromResult(invalidated.Contains(key)), "the new connection tracks the key");
    }

    [Fact]
    public async Task Handlers_may_send_commands_without_deadlocking_and_a_throwing_handler_stops_no_other()
    {
        // redis-py #3470: invalidation processing must hold nothing that the handler or the reader needs. Here the
        // handler runs on the reader itself, sends a read on the same connection and lets the reader read its reply.
        var options = await RedisFixture.SharedOptionsAsync();
        string key = RedisServer.NewPrefix() + "reentrant";
        await using var tracking = await RedisTracking.ConnectAsync(options);
        await using var writer = await RedisClient.ConnectAsync(options);
        await writer.SetAsync(key, "1");
        await tracking.GetAsync(key);
        var reread = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var again = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracking.Invalidated += _ => throw new InvalidOperationException("a handler's bug");
        tracking.Invalidated += changed =>
        {
            if (changed != key)
            {
                return;
            }

            if (reread.Task.IsCompleted)
            {
                again.TrySetResult();
                return;
            }

            _ = tracking.GetAsync(key).AsTask().ContinueWith(
                read => reread.TrySetResult(read.IsCompletedSuccessfully ? read.Result : read.Exception?.GetBaseException().Message),
                TaskScheduler.Default);
        };

        await writer.SetAsync(key, "2");
        (await reread.Task.WaitAsync(TimeSpan.FromSeconds(20))).ShouldBe("2");
        await writer.SetAsync(key, "3");
        await again.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
