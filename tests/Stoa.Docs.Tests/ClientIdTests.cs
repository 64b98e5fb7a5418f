using System.Net;
using System.Text.Json;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// A client id belongs to the first user who used it on a document. Each test sends one of the attacks that worked
/// when any user of the app could reuse another's client id (seen in <c>/ops</c> and presence).
/// </summary>
public sealed class ClientIdTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Another_users_op_under_the_victims_client_id_is_refused_and_the_victims_next_op_is_applied(string store)
    {
        await using var app = await DocsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var mallory = tenant.User("mallory");
        var (id, _, _) = await alice.CreateDocAsync("");
        (await alice.SubmitOkAsync(id, 0, """["a"]""", "alice-1", 1)).ShouldBe(1);

        // Mallory read alice-1 off /ops and sends its next seq first: it used to make alice's seq 2 a "duplicate".
        await (await mallory.SubmitAsync(id, 1, """[1, "EVIL"]""", "alice-1", 2)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "client_id_taken");

        var response = await alice.SubmitAsync(id, 1, """[1, "b"]""", "alice-1", 2);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (body.GetProperty("version").GetInt64(), body.GetProperty("duplicate").GetBoolean()).ShouldBe((2L, false));
        (await alice.GetDocAsync(id)).ShouldBe((2L, "ab"));

        // Mallory's own client ids work as before, and alice may reuse hers from another session.
        (await mallory.SubmitOkAsync(id, 2, """[2, "m"]""", "mallory-1", 1)).ShouldBe(3);
        (await alice.SubmitOkAsync(id, 3, """[3, "c"]""", "alice-1", 3)).ShouldBe(4);
    }

    [Fact]
    public async Task A_socket_under_the_victims_client_id_is_refused_before_the_upgrade_so_it_cannot_take_the_victims_acks()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");
        await using var alice = await RawSocket.ConnectAsync(app, tenant, "alice", id, "alice-1");
        await alice.ReceiveAsync("snapshot");

        var (status, problem) = await RawSocket.RefusalAsync(app, tenant, "mallory", id, "alice-1");
        status.ShouldBe(403);
        problem.GetProperty("code").GetString().ShouldBe("client_id_taken");

        // Alice's op is acknowledged to alice, and nobody else holds a socket that would be sent her ack.
        await alice.SendAsync("""{"type":"op","baseVersion":0,"op":["a"],"clientId":"alice-1","seq":1}""");
        (await alice.ReceiveAsync("ack")).GetProperty("version").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Another_user_cannot_take_over_or_remove_the_victims_presence()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("hello");
        await using var alice = await RawSocket.ConnectAsync(app, tenant, "alice", id, "alice-1");
        await alice.ReceiveAsync("snapshot");
        await alice.SendAsync("""{"type":"cursor","position":2}""");

        // Mallory cannot open a socket as alice-1 (which would replace alice's presence, and remove it on leaving)…
        (await RawSocket.RefusalAsync(app, tenant, "mallory", id, "alice-1")).Status.ShouldBe(403);

        // …and her own socket sees alice as alice, on alice's cursor.
        await using var mallory = await RawSocket.ConnectAsync(app, tenant, "mallory", id, "mallory-1");
        await mallory.ReceiveAsync("snapshot");
        var seen = await mallory.ReceiveAsync("presence");
        (seen.GetProperty("clientId").GetString(), seen.GetProperty("userId").GetString(), seen.GetProperty("online").GetBoolean())
            .ShouldBe(("alice-1", "alice", true));
        seen.GetProperty("cursor").GetInt32().ShouldBe(2);

        // Mallory leaving says nothing about alice: alice's next message is about mallory only.
        await mallory.DisposeAsync();
        var left = await alice.ReceiveAsync("presence");
        while (left.GetProperty("online").GetBoolean())
        {
            left = await alice.ReceiveAsync("presence");
        }

        (left.GetProperty("clientId").GetString(), left.GetProperty("userId").GetString()).ShouldBe(("mallory-1", "mallory"));
    }
}
