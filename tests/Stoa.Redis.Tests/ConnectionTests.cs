using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stoa.Redis.Protocol;
using Stoa.Testing;

namespace Stoa.Redis.Tests;

public sealed class ConnectionTests
{
    private static string S(int i) => i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Ten_thousand_concurrent_callers_each_get_their_own_reply()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        string p = RedisServer.NewPrefix();
        var calls = Enumerable.Range(0, 10_000).Select(async i =>
        {
            await Task.Yield();
            switch (i % 3)
            {
                case 0:
                    (await client.ExecuteAsync("ECHO", "v" + S(i))).AsString().ShouldBe("v" + S(i));
                    break;
                case 1:
                    await client.SetAsync(p + S(i), S(i));
                    (await client.GetAsync(p + S(i))).ShouldBe(S(i));
                    break;
                default:
                    (await client.IncrByAsync(p + "n" + S(i), i)).ShouldBe(i);
                    break;
            }
        });
        await Task.WhenAll(calls);
    }

    [Fact]
    public async Task Cancelled_callers_do_not_desynchronise_the_others()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        var random = new Random(1234);
        var calls = Enumerable.Range(0, 3000).Select(async i =>
        {
            using var cts = new CancellationTokenSource();
            int mode = random.Next(4);
            if (mode == 0)
            {
                cts.Cancel();
            }
            else if (mode == 1)
            {
                cts.CancelAfter(random.Next(0, 3));
            }

            try
            {
                var reply = await client.ExecuteAsync("ECHO", ["m" + S(i)], cts.Token);
                reply.AsString().ShouldBe("m" + S(i));
            }
            catch (OperationCanceledException)
            {
                mode.ShouldBeLessThan(2, "only callers that cancelled may see a cancellation");
            }
        });
        await Task.WhenAll(calls);
        (await client.ExecuteAsync("ECHO", "after")).AsString().ShouldBe("after");
    }

    [Fact]
    public async Task Slow_server_times_out_callers_and_later_replies_stay_matched()
    {
        await using var server = await RedisServer.StartAsync(extraArgs: ["--enable-debug-command", "yes"]);
        var options = RedisOptions.Parse(server.Url);
        options.CommandTimeout = TimeSpan.FromMilliseconds(300);
        await using var client = await RedisClient.ConnectAsync(options);

        var sleep = client.ExecuteAsync("DEBUG", ["SLEEP", "2.5"], timeout: TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        var timedOut = Enumerable.Range(0, 20).Select(i => client.ExecuteAsync("ECHO", "slow" + S(i)).AsTask()).ToArray();
        foreach (var call in timedOut)
        {
            await Should.ThrowAsync<RedisTimeoutException>(call);
        }

        (await sleep).AsString().ShouldBe("OK");

        // The timed-out ECHO replies were read and dropped: new calls get their own replies.
        for (int i = 0; i < 50; i++)
        {
            (await client.ExecuteAsync("ECHO", "fast" + S(i))).AsString().ShouldBe("fast" + S(i));
        }

        client.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_the_connect_with_a_clear_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var options = RedisOptions.Parse($"redis://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        options.ConnectTimeout = TimeSpan.FromMilliseconds(300);
        var error = await Should.ThrowAsync<RedisConnectionException>(() => RedisClient.ConnectAsync(options));
        error.Message.ShouldContain("within");
    }

    [Fact]
    public async Task A_server_that_stops_answering_times_out_commands()
    {
        await using var fake = new FakeRedisServer(command => FakeRedisServer.Handshake(command) ?? []);
        var options = RedisOptions.Parse(fake.Url);
        options.CommandTimeout = TimeSpan.FromMilliseconds(200);
        await using var client = await RedisClient.ConnectAsync(options);
        await Should.ThrowAsync<RedisTimeoutException>(async () => await client.GetAsync("k"));
        using var cts = new CancellationTokenSource(50);
        await Should.ThrowAsync<OperationCanceledException>(async () => await client.ExecuteAsync("GET", ["k"], cts.Token, timeout: TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Keep_alive_closes_a_silent_connection_and_reconnects()
    {
        int hellos = 0;
        bool silent = true;
        await using var fake = new FakeRedisServer(command =>
        {
            if (command[0] == "HELLO" && Interlocked.Increment(ref hellos) > 1)
            {
                silent = false;
            }

            // The first connection goes silent after its handshake, like a half-open TCP connection.
            return FakeRedisServer.Handshake(command) ?? (silent ? [] : [RespValue.FromBytes(RespType.SimpleString, "PONG"u8.ToArray())]);
        });
        var options = RedisOptions.Parse(fake.Url);
        options.KeepAlive = TimeSpan.FromMilliseconds(200);
        await using var client = await RedisClient.ConnectAsync(options);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += _ => disconnected.TrySetResult();
        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await RedisFixture.EventuallyAsync(() => Task.FromResult(hellos >= 2 && client.IsConnected), "the client reconnects");
        await client.PingAsync();
    }

    [Fact]
    public async Task Garbage_from_the_server_closes_the_connection_instead_of_misreading()
    {
        int connections = 0;
        await using var fake = new FakeRedisServer(command =>
        {
            if (command[0] == "HELLO")
            {
                Interlocked.Increment(ref connections);
            }

            return FakeRedisServer.Handshake(command)
                ?? (command[1] == "bad" ? [RespValue.FromBytes(RespType.SimpleString, "a\r\n?garbage"u8.ToArray())] : [RespValue.BulkString(command[1])]);
        });
        var options = RedisOptions.Parse(fake.Url);
        options.CommandTimeout = TimeSpan.FromSeconds(5);
        await using var client = await RedisClient.ConnectAsync(options);
        (await client.GetAsync("good")).ShouldBe("good");

        // "+a\r\n" is a valid reply for this GET, then "?garbage" is a protocol error: the connection is dropped.
        (await client.GetAsync("bad")).ShouldBe("a");
        await RedisFixture.EventuallyAsync(() => Task.FromResult(connections >= 2), "the client reconnects");
        await RedisFixture.EventuallyAsync(async () =>
        {
            try
            {
                return await client.GetAsync("again") == "again";
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        }, "the new connection serves commands");
    }

    [Fact]
    public async Task Commands_wait_for_a_reconnect_within_their_deadline_and_fail_clearly_after_it()
    {
        await using var server = await RedisServer.StartAsync();
        var options = RedisOptions.Parse(server.Url);
        options.CommandTimeout = TimeSpan.FromMilliseconds(400);
        await using var client = await RedisClient.ConnectAsync(options);
        int disconnects = 0;
        int reconnects = 0;
        client.Disconnected += _ => Interlocked.Increment(ref disconnects);
        client.Reconnected += () => Interlocked.Increment(ref reconnects);
        await client.SetAsync("k", "v");

        server.Kill();
        await RedisFixture.EventuallyAsync(() => Task.FromResult(!client.IsConnected), "the loss is noticed");
        var error = await Should.ThrowAsync<RedisConnectionException>(async () => await client.GetAsync("k"));
        error.Message.ShouldContain("Not connected");

        // A command issued during the outage with a long enough deadline succeeds once Redis is back.
        var waiting = client.ExecuteAsync("ECHO", ["patient"], timeout: TimeSpan.FromSeconds(30));
        await server.RestartAsync();
        (await waiting).AsString().ShouldBe("patient");
        (await client.GetAsync("k")).ShouldBeNull("the restarted server has no data");
        disconnects.ShouldBe(1);
        reconnects.ShouldBe(1);
    }

    [Fact]
    public async Task Restart_mid_run_every_reply_still_goes_to_its_caller()
    {
        await using var server = await RedisServer.StartAsync();
        var options = RedisOptions.Parse(server.Url);
        options.CommandTimeout = TimeSpan.FromSeconds(2);
        await using var client = await RedisClient.ConnectAsync(options);
        using var stop = new CancellationTokenSource();
        int ok = 0;
        int failed = 0;
        var workers = Enumerable.Range(0, 20).Select(w => Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                string value = $"{w}-{i}";
                try
                {
                    (await client.ExecuteAsync("ECHO", value)).AsString().ShouldBe(value);
                    Interlocked.Increment(ref ok);
                }
                catch (RedisException ex) when (ex is RedisConnectionException or RedisTimeoutException)
                {
                    Interlocked.Increment(ref failed);
                    await Task.Delay(5);
                }
            }
        })).ToArray();

        await RedisFixture.EventuallyAsync(() => Task.FromResult(ok > 500), "traffic flows");
        await server.RestartAsync();
        int okAfterRestart = ok;
        await RedisFixture.EventuallyAsync(() => Task.FromResult(ok > okAfterRestart + 500), "traffic flows again after the restart");
        stop.Cancel();
        await Task.WhenAll(workers);
    }

    [Fact]
    public async Task Client_kill_of_the_data_connection_is_survived()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        await using var admin = await RedisFixture.ConnectSharedAsync();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += () => reconnected.TrySetResult();
        long id = (await client.ExecuteAsync("CLIENT", "ID")).AsInt64();
        (await admin.ExecuteAsync("CLIENT", "KILL", "ID", id)).AsInt64().ShouldBe(1);
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        (await client.ExecuteAsync("CLIENT", "ID")).AsInt64().ShouldNotBe(id);
        (await client.ExecuteAsync("ECHO", "alive")).AsString().ShouldBe("alive");
    }

    [Fact]
    public async Task Url_auth_user_database_and_name_reach_the_server()
    {
        await using var server = await RedisServer.StartAsync(extraArgs: ["--requirepass", "s3cret"]);
        await using (var byPassword = await RedisClient.ConnectAsync($"redis://:s3cret@127.0.0.1:{server.Port}/3?name=stoa-test"))
        {
            (await byPassword.ExecuteAsync("ACL", "SETUSER", "alice", "on", ">pa:ss", "~*", "&*", "+@all")).AsString().ShouldBe("OK");
            (await byPassword.ExecuteAsync("CLIENT", "GETNAME")).AsString().ShouldBe("stoa-test");
            (await byPassword.ExecuteAsync("ACL", "WHOAMI")).AsString().ShouldBe("default");
            (await byPassword.ExecuteAsync("CLIENT", "INFO")).AsString()!.ShouldContain(" db=3 ");
        }

        await using (var byUser = await RedisClient.ConnectAsync($"redis://alice:pa%3Ass@127.0.0.1:{server.Port}"))
        {
            (await byUser.ExecuteAsync("ACL", "WHOAMI")).AsString().ShouldBe("alice");
        }

        var wrong = await Should.ThrowAsync<RedisConnectionException>(() => RedisClient.ConnectAsync($"redis://:nope@127.0.0.1:{server.Port}"));
        wrong.Message.ShouldContain("WRONGPASS");
        var none = await Should.ThrowAsync<RedisConnectionException>(() => RedisClient.ConnectAsync(server.Url));
        none.Message.ShouldContain("NOAUTH");
    }

    [Fact]
    public async Task Disposed_client_refuses_new_calls()
    {
        var client = await RedisFixture.ConnectSharedAsync();
        await client.DisposeAsync();
        await Should.ThrowAsync<ObjectDisposedException>(async () => await client.GetAsync("k"));
    }
}
