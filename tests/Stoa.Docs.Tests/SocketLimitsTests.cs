using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// Everything a socket can send is limited: cursor moves are coalesced before they reach the other editors, messages
/// past the socket's budget are dropped with one notice a second, and a malformed message costs an error frame, not a
/// log line.
/// </summary>
public sealed class SocketLimitsTests
{
    [Fact]
    public async Task A_cursor_flood_reaches_the_other_editors_at_the_coalesced_rate_ending_on_the_last_position()
    {
        await using var app = await DocsApp.StartAsync("sqlite", new Dictionary<string, string?>
        {
            // A budget high enough that the flood reaches the coalescer whole.
            ["Stoa:Docs:SocketMessagesPerSecond"] = "1000000",
            ["Stoa:Docs:SocketMessageBurst"] = "1000000",
            ["Stoa:Docs:CursorMovesPerSecond"] = "10",
        });
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("hello");
        await using var bob = await RawSocket.ConnectAsync(app, tenant, "bob", id, "bob-1");
        await bob.ReceiveAsync("snapshot");
        await using var mallory = await RawSocket.ConnectAsync(app, tenant, "mallory", id, "mallory-1");
        await mallory.ReceiveAsync("snapshot");

        var started = Stopwatch.StartNew();
        const int Moves = 5_000;
        for (var position = 1; position <= Moves; position++)
        {
            await mallory.SendAsync($$"""{"type":"cursor","position":{{position}}}""");
        }

        var relayed = 0;
        while (true)
        {
            var presence = await bob.ReceiveAsync("presence");
            if (presence.GetProperty("clientId").GetString() != "mallory-1" || presence.GetProperty("cursor").ValueKind != JsonValueKind.Number)
            {
                continue;
            }

            relayed++;
            if (presence.GetProperty("cursor").GetInt32() == Moves)
            {
                break;
            }
        }

        // At most one relayed move per 100 ms of the flood, plus the first and the last.
        relayed.ShouldBeLessThanOrEqualTo((int)(started.Elapsed.TotalSeconds * 10) + 2, $"{relayed} moves relayed in {started.Elapsed}");
    }

    [Fact]
    public async Task Messages_past_the_budget_are_dropped_with_one_notice_a_second_and_the_socket_stays_usable()
    {
        await using var app = await DocsApp.StartAsync("sqlite", new Dictionary<string, string?>
        {
            ["Stoa:Docs:SocketMessagesPerSecond"] = "20",
            ["Stoa:Docs:SocketMessageBurst"] = "20",
        });
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");
        await using var socket = await RawSocket.ConnectAsync(app, tenant, "alice", id, "alice-1");
        await socket.ReceiveAsync("snapshot");

        var started = Stopwatch.StartNew();
        for (var i = 0; i < 2_000; i++)
        {
            await socket.SendAsync("""{"type":"ping"}""");
        }

        var elapsed = started.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        await socket.SendAsync("""{"type":"op","baseVersion":0,"op":["a"],"clientId":"alice-1","seq":1}""");
        var notices = 0;
        while (true)
        {
            var message = await socket.ReceiveAsync() ?? throw new ShouldAssertException("the socket was closed");
            var type = message.GetProperty("type").GetString();
            if (type == "error")
            {
                message.GetProperty("code").GetString().ShouldBe("rate_limited");
                message.GetProperty("retryAfterMs").GetInt32().ShouldBeGreaterThan(0);
                notices++;
            }
            else if (type == "ack")
            {
                break;
            }
        }

        notices.ShouldBeInRange(1, (int)elapsed.TotalSeconds + 2);
    }

    [Fact]
    public async Task Every_op_past_the_budget_is_answered_with_its_seq_so_that_its_client_resends_it()
    {
        await using var app = await DocsApp.StartAsync("sqlite", new Dictionary<string, string?>
        {
            ["Stoa:Docs:SocketMessagesPerSecond"] = "5",
            ["Stoa:Docs:SocketMessageBurst"] = "5",
        });
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");
        await using var socket = await RawSocket.ConnectAsync(app, tenant, "alice", id, "alice-1");
        await socket.ReceiveAsync("snapshot");

        // 30 ops at once, each on the version before it (as if the previous were acked): more than the burst.
        const int Ops = 30;
        for (var seq = 1; seq <= Ops; seq++)
        {
            await socket.SendAsync($$"""{"type":"op","baseVersion":0,"op":["x"],"clientId":"alice-1","seq":{{seq}}}""");
        }

        var acked = new HashSet<long>();
        var refused = new HashSet<long>();
        while (acked.Count + refused.Count < Ops)
        {
            var message = await socket.ReceiveAsync() ?? throw new ShouldAssertException("the socket was closed");
            switch (message.GetProperty("type").GetString())
            {
                case "ack":
                    acked.Add(message.GetProperty("seq").GetInt64());
                    break;
                case "error":
                    message.GetProperty("code").GetString().ShouldBe("rate_limited");
                    message.GetProperty("retryAfterMs").GetInt32().ShouldBeGreaterThan(0);
                    refused.Add(message.GetProperty("seq").GetInt64());
                    break;
            }
        }

        acked.ShouldNotBeEmpty();
        refused.ShouldNotBeEmpty("the budget refused some");
        acked.Overlaps(refused).ShouldBeFalse();
        acked.Union(refused).Order().ShouldBe(Enumerable.Range(1, Ops).Select(i => (long)i), "every op is answered once");
    }

    [Fact]
    public async Task Malformed_messages_cost_an_error_frame_each_and_no_log_line()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("abc");
        await using var socket = await RawSocket.ConnectAsync(app, tenant, "alice", id, "alice-1");
        await socket.ReceiveAsync("snapshot");
        string[] malformed =
        [
            "not json",
            "[1,2,3]",
            "\"op\"",
            """{"type":7}""",
            """{"type":"dance"}""",
            """{"type":"cursor","position":"3"}""",
            """{"type":"cursor","position":-1}""",
            """{"type":"cursor","position":1e40}""",
            """{"type":"op","baseVersion":"0","op":["x"],"clientId":"alice-1","seq":1}""",
            """{"type":"op","baseVersion":0,"op":"x","clientId":"alice-1","seq":1}""",
            """{"type":"op","baseVersion":0,"op":["\ud800"],"clientId":"alice-1","seq":1}""",
            """{"type":"op","baseVersion":0,"op":[{"d":{"d":1}}],"clientId":"alice-1","seq":1}""",
            """{"type":"op","baseVersion":0,"op":["x"],"clientId":7,"seq":1}""",
            """{"type":"op","baseVersion":0,"op":["x"],"clientId":"alice-1","seq":null}""",
            string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)),
            """{"type":"op","baseVersion":0,"op":""" + string.Concat(Enumerable.Repeat("[", 50)) + string.Concat(Enumerable.Repeat("]", 50)) + "}",
        ];
        foreach (var message in malformed)
        {
            await socket.SendAsync(message);
            var error = await socket.ReceiveAsync("error");
            error.GetProperty("code").GetString().ShouldBeOneOf(["invalid_json", "validation_failed", "op_invalid"], message);
        }

        await socket.SendAsync("""{"type":"op","baseVersion":0,"op":[3,"d"],"clientId":"alice-1","seq":1}""");
        (await socket.ReceiveAsync("ack")).GetProperty("version").GetInt64().ShouldBe(1);
        app.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Category}: {e.Message}").ShouldBeEmpty();
    }
}
