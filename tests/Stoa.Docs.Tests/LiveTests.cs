using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Client;
using Stoa.Foundation.Hosting;
using Stoa.Ot;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>The WebSocket protocol (docs/docs-protocol.md) over a real socket, and the .NET client on top of it.</summary>
public sealed class LiveTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Snapshot_then_acks_to_the_author_and_ops_to_everyone_else(string store)
    {
        await using var app = await DocsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("hi");
        await using var alice = await RawSocket.ConnectAsync(app, tenant, "alice", id, "alice-1");
        await using var bob = await RawSocket.ConnectAsync(app, tenant, "bob", id, "bob-1");

        var snapshot = await alice.ReceiveAsync("snapshot");
        (snapshot.GetProperty("version").GetInt64(), snapshot.GetProperty("text").GetString()).ShouldBe((0L, "hi"));
        (await bob.ReceiveAsync("snapshot")).GetProperty("version").GetInt64().ShouldBe(0);

        await alice.SendAsync("""{"type":"op","baseVersion":0,"op":[2,"!"],"clientId":"alice-1","seq":1}""");
        var ack = await alice.ReceiveAsync("ack");
        (ack.GetProperty("seq").GetInt64(), ack.GetProperty("version").GetInt64()).ShouldBe((1L, 1L));
        var op = await bob.ReceiveAsync("op");
        op.GetProperty("version").GetInt64().ShouldBe(1);
        op.GetProperty("clientId").GetString().ShouldBe("alice-1");
        TextOp.Parse(op.GetProperty("op")).ShouldBe(TextOp.Insert(2, "!"));

        // Bob's concurrent op (made on version 0) is transformed; Alice receives it as version 2.
        await bob.SendAsync("""{"type":"op","baseVersion":0,"op":[2,"?"],"clientId":"bob-1","seq":1}""");
        (await bob.ReceiveAsync("ack")).GetProperty("version").GetInt64().ShouldBe(2);
        var transformed = await alice.ReceiveAsync("op");
        TextOp.Parse(transformed.GetProperty("op")).ShouldBe(TextOp.Insert(2, "?"));
        (await http.GetDocAsync(id)).ShouldBe((2L, "hi?!"));

        // Cursors reach the others as presence.
        await bob.SendAsync("""{"type":"cursor","position":3}""");
        while (true)
        {
            var presence = await alice.ReceiveAsync("presence");
            if (presence.GetProperty("clientId").GetString() == "bob-1" && presence.GetProperty("cursor").ValueKind == System.Text.Json.JsonValueKind.Number)
            {
                presence.GetProperty("cursor").GetInt32().ShouldBe(3);
                presence.GetProperty("userId").GetString().ShouldBe("bob");
                break;
            }
        }
    }

    [Fact]
    public async Task Errors_arrive_as_messages_with_the_seq_and_the_socket_stays_open()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("abc");
        await using var socket = await RawSocket.ConnectAsync(app, tenant, "alice", id, "a");
        await socket.ReceiveAsync("snapshot");

        await socket.SendAsync("""{"type":"op","baseVersion":0,"op":[9,"x"],"clientId":"a","seq":1}""");
        var error = await socket.ReceiveAsync("error");
        (error.GetProperty("code").GetString(), error.GetProperty("seq").GetInt64()).ShouldBe(("op_invalid", 1L));
        await socket.SendAsync("""{"type":"op","baseVersion":0,"op":[1,"x"],"clientId":"someone-else","seq":2}""");
        (await socket.ReceiveAsync("error")).GetProperty("code").GetString().ShouldBe("validation_failed");
        await socket.SendAsync("not json");
        (await socket.ReceiveAsync("error")).GetProperty("code").GetString().ShouldBe("invalid_json");
        await socket.SendAsync("""{"type":"op","baseVersion":4,"op":["x"],"clientId":"a","seq":3}""");
        (await socket.ReceiveAsync("error")).GetProperty("code").GetString().ShouldBe("version_ahead");

        await socket.SendAsync("""{"type":"op","baseVersion":0,"op":[3,"d"],"clientId":"a","seq":4}""");
        (await socket.ReceiveAsync("ack")).GetProperty("version").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task A_reconnecting_client_gets_the_ops_it_missed_and_its_resent_op_is_acknowledged_once()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");

        // Alice's op is committed, but she drops before its ack; others edit meanwhile.
        (await http.SubmitOkAsync(id, 0, """["a"]""", "alice", 1)).ShouldBe(1);
        (await http.SubmitOkAsync(id, 1, """[1, "b"]""", "bob", 1)).ShouldBe(2);

        await using var socket = await RawSocket.ConnectAsync(app, tenant, "alice", id, "alice", from: 0);
        await socket.SendAsync("""{"type":"op","baseVersion":0,"op":["a"],"clientId":"alice","seq":1}""");
        var ack = await socket.ReceiveAsync("ack");
        (ack.GetProperty("seq").GetInt64(), ack.GetProperty("version").GetInt64()).ShouldBe((1L, 1L));
        var op = await socket.ReceiveAsync("op");
        op.GetProperty("version").GetInt64().ShouldBe(2);

        await socket.SendAsync("""{"type":"op","baseVersion":2,"op":[2,"c"],"clientId":"alice","seq":2}""");
        (await socket.ReceiveAsync("ack")).GetProperty("version").GetInt64().ShouldBe(3);
        (await http.GetDocAsync(id)).ShouldBe((3L, "abc"));
    }

    [Fact]
    public async Task Refusals_happen_before_the_upgrade()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        var other = await app.CreateTenantAsync("other");
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");

        async Task<HttpStatusCode> StatusAsync(TestTenant who, Guid doc, string query)
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            var uri = new Uri($"ws://{app.BaseAddress.Authority}/v1/docs/{doc}/live?api_key={Uri.EscapeDataString(who.ApiKey)}&{query}");
            await Should.ThrowAsync<WebSocketException>(() => socket.ConnectAsync(uri, TestContext.Current.CancellationToken));
            return socket.HttpStatusCode;
        }

        var token = TestTokens.User(tenant.Secret, "alice");
        (await StatusAsync(tenant, id, "clientId=c")).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusAsync(tenant, Guid.NewGuid(), $"clientId=c&access_token={token}")).ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(tenant, id, $"access_token={token}")).ShouldBe(HttpStatusCode.BadRequest);
        (await StatusAsync(tenant, id, $"clientId=c&from=9&access_token={token}")).ShouldBe(HttpStatusCode.Conflict);
        (await StatusAsync(other, id, $"clientId=c&access_token={TestTokens.User(other.Secret, "alice")}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Draining_closes_sockets_with_a_close_frame()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");
        await using var socket = await RawSocket.ConnectAsync(app, tenant, "alice", id, "a");
        await socket.ReceiveAsync("snapshot");

        app.Services.GetRequiredService<DrainState>().BeginDraining();
        while (await socket.ReceiveAsync() is not null)
        {
        }

        socket.Socket.CloseStatus.ShouldBe(WebSocketCloseStatus.EndpointUnavailable);
    }

    [Fact]
    public async Task DocSession_rebuilds_the_text_from_deltas_and_reports_presence()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("Hello");
        DocSessionOptions Options(string user) => new()
        {
            ServerAddress = () => app.BaseAddress,
            ApiKey = tenant.ApiKey,
            AccessToken = () => TestTokens.User(tenant.Secret, user),
        };

        await using var alice = await DocSession.OpenAsync(id, Options("alice"), TestContext.Current.CancellationToken);
        await using var bob = await DocSession.OpenAsync(id, Options("bob"), TestContext.Current.CancellationToken);
        var cursors = new System.Collections.Concurrent.ConcurrentQueue<DocPresence>();
        bob.PresenceChanged += cursors.Enqueue;

        alice.Text.ShouldBe("Hello");
        alice.Replace("Hello, world");
        alice.State.ShouldNotBe(DocSessionState.Synchronized);
        alice.Submit(TextOp.Insert(12, "!"));
        // Buffered behind the in-flight op, unless the first ack already arrived and this op went out at once.
        alice.State.ShouldBeOneOf(DocSessionState.AwaitingWithBuffer, DocSessionState.AwaitingConfirm);
        bob.Submit(TextOp.Insert(0, ">> "));
        alice.MoveCursor(3);

        await alice.WhenSynchronizedAsync(TestContext.Current.CancellationToken);
        await bob.WhenSynchronizedAsync(TestContext.Current.CancellationToken);
        var (version, text) = await http.GetDocAsync(id);
        while (alice.Version < version || bob.Version < version)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        text.ShouldBe(">> Hello, world!");
        alice.Text.ShouldBe(text);
        bob.Text.ShouldBe(text);
        while (!cursors.Any(c => c.ClientId == alice.ClientId && c.Cursor is not null))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
