using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// Who may open a document: every user of the app (the default, so existing clients keep working), or only its creator
/// and the users the app's backend lists. The rule holds on REST and on sockets, and changing it closes the sockets
/// that lost access.
/// </summary>
public sealed class AccessRuleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task By_default_every_user_of_the_app_may_open_a_document()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        var created = await (await alice.PostJsonTextAsync("/v1/docs", """{"text":"hi"}""")).Content.ReadFromJsonAsync<JsonElement>(Ct);
        (created.GetProperty("access").GetString(), created.GetProperty("createdBy").GetString()).ShouldBe(("app", "alice"));
        var id = created.GetProperty("id").GetGuid();

        (await bob.GetDocAsync(id)).ShouldBe((0L, "hi"));
        (await bob.SubmitOkAsync(id, 0, """[2, "!"]""", "bob-1", 1)).ShouldBe(1);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_members_only_document_refuses_other_users_everywhere_until_the_backend_lists_them(string store)
    {
        await using var app = await DocsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        using var backend = tenant.Server();
        var created = await (await alice.PostJsonTextAsync("/v1/docs", """{"text":"secret","access":"members"}""")).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = created.GetProperty("id").GetGuid();

        // The creator is always in; anyone else is refused on every route, the socket before its upgrade.
        (await alice.GetDocAsync(id)).ShouldBe((0L, "secret"));
        await (await bob.GetAsync($"/v1/docs/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "doc_forbidden");
        await (await bob.GetAsync($"/v1/docs/{id}/ops?from=0", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "doc_forbidden");
        await (await bob.SubmitAsync(id, 0, """["x"]""", "bob-1", 1)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "doc_forbidden");
        var (status, problem) = await RawSocket.RefusalAsync(app, tenant, "bob", id, "bob-1");
        (status, problem.GetProperty("code").GetString()).ShouldBe((403, "doc_forbidden"));

        // Only the server token reads and sets the rule.
        await (await alice.GetAsync($"/v1/docs/{id}/access", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "server_token_required");
        var access = await SetAccessAsync(backend, id, """{"access":"members","members":["bob","carol"]}""");
        (access.GetProperty("access").GetString(), access.GetProperty("createdBy").GetString()).ShouldBe(("members", "alice"));
        access.GetProperty("members").EnumerateArray().Select(m => m.GetString()).ShouldBe(["bob", "carol"]);

        (await bob.GetDocAsync(id)).ShouldBe((0L, "secret"));
        (await bob.SubmitOkAsync(id, 0, """[6, "!"]""", "bob-1", 1)).ShouldBe(1);
        using var dave = tenant.User("dave");
        await (await dave.GetAsync($"/v1/docs/{id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "doc_forbidden");

        // Back to every user of the app.
        await SetAccessAsync(backend, id, """{"access":"app"}""");
        (await dave.GetDocAsync(id)).ShouldBe((1L, "secret!"));
    }

    [Fact]
    public async Task Removing_a_member_closes_their_open_socket_and_leaves_the_others_open()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var backend = tenant.Server();
        var created = await (await backend.PostJsonTextAsync("/v1/docs", """{"text":"","access":"members","members":["alice","bob"]}"""))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = created.GetProperty("id").GetGuid();
        await using var alice = await RawSocket.ConnectAsync(app, tenant, "alice", id, "alice-1");
        await using var bob = await RawSocket.ConnectAsync(app, tenant, "bob", id, "bob-1");
        await alice.ReceiveAsync("snapshot");
        await bob.ReceiveAsync("snapshot");

        await SetAccessAsync(backend, id, """{"access":"members","members":["alice"]}""");

        while (await bob.ReceiveAsync() is not null)
        {
        }

        bob.Socket.CloseStatus.ShouldBe(WebSocketCloseStatus.PolicyViolation);
        bob.Socket.CloseStatusDescription.ShouldBe("doc_forbidden");
        await alice.SendAsync("""{"type":"op","baseVersion":0,"op":["a"],"clientId":"alice-1","seq":1}""");
        (await alice.ReceiveAsync("ack")).GetProperty("version").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task A_client_whose_access_is_revoked_fails_with_the_code_instead_of_reconnecting()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var backend = tenant.Server();
        var created = await (await backend.PostJsonTextAsync("/v1/docs", """{"text":"x","access":"members","members":["bob"]}"""))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = created.GetProperty("id").GetGuid();
        await using var bob = await Client.DocSession.OpenAsync(id, new Client.DocSessionOptions
        {
            ServerAddress = () => app.BaseAddress,
            ApiKey = tenant.ApiKey,
            AccessToken = () => TestTokens.User(tenant.Secret, "bob"),
        }, Ct);

        await SetAccessAsync(backend, id, """{"access":"members","members":[]}""");

        while (bob.Fault is null)
        {
            await Task.Delay(20, Ct);
        }

        bob.Fault.ShouldBeOfType<Client.DocSessionException>().Code.ShouldBe("doc_forbidden");
    }

    [Fact]
    public async Task Only_the_backend_names_members_and_a_bad_rule_is_a_validation_error()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var backend = tenant.Server();
        await (await alice.PostJsonTextAsync("/v1/docs", """{"access":"members","members":["bob"]}""")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "server_token_required");
        await (await alice.PostJsonTextAsync("/v1/docs", """{"access":"friends"}""")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var (id, _, _) = await alice.CreateDocAsync("");
        await (await backend.PutAsync($"/v1/docs/{id}/access", Json("""{"access":"members","members":[""]}"""), Ct))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await backend.PutAsync($"/v1/docs/{Guid.NewGuid()}/access", Json("""{"access":"app"}"""), Ct))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "doc_not_found");
    }

    private static async Task<JsonElement> SetAccessAsync(HttpClient backend, Guid id, string json)
    {
        var response = await backend.PutAsync($"/v1/docs/{id}/access", Json(json), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
