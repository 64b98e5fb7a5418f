using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stoa.Ot;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>The REST API over real HTTP, on both stores.</summary>
public sealed class DocsApiTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Create_read_submit_and_catch_up(string store)
    {
        await using var app = await DocsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var (id, version, text) = await alice.CreateDocAsync("hello");
        (version, text).ShouldBe((0L, "hello"));

        (await alice.SubmitOkAsync(id, 0, """[5, " world"]""", "a1", 1)).ShouldBe(1);
        // Made on version 0 too: transformed past " world".
        (await alice.SubmitOkAsync(id, 0, """["¡", {"d": "h"}, "H"]""", "a2", 1)).ShouldBe(2);
        (await alice.GetDocAsync(id)).ShouldBe((2L, "¡Hello world"));

        var ops = await alice.GetFromJsonAsync<JsonElement>($"/v1/docs/{id}/ops?from=1", TestContext.Current.CancellationToken);
        ops.GetProperty("version").GetInt64().ShouldBe(2);
        var list = ops.GetProperty("ops").EnumerateArray().ToList();
        list.Count.ShouldBe(1);
        list[0].GetProperty("version").GetInt64().ShouldBe(2);
        list[0].GetProperty("clientId").GetString().ShouldBe("a2");
        TextOp.Parse(list[0].GetProperty("op")).ShouldBe(TextOp.Parse("""["¡", {"d": "h"}, "H"]"""));

        // Rebuilding from the deltas alone gives the document.
        var all = await alice.GetFromJsonAsync<JsonElement>($"/v1/docs/{id}/ops?from=0", TestContext.Current.CancellationToken);
        var rebuilt = "hello";
        foreach (var op in all.GetProperty("ops").EnumerateArray())
        {
            rebuilt = TextOt.Apply(rebuilt, TextOp.Parse(op.GetProperty("op")));
        }

        rebuilt.ShouldBe("¡Hello world");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_resent_op_is_acknowledged_with_its_first_version_and_applied_once(string store)
    {
        await using var app = await DocsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var (id, _, _) = await alice.CreateDocAsync("abc");
        (await alice.SubmitOkAsync(id, 0, """[3, "d"]""", "c1", 7)).ShouldBe(1);
        (await alice.SubmitOkAsync(id, 0, """["x"]""", "c2", 1)).ShouldBe(2);

        var again = await alice.SubmitAsync(id, 0, """[3, "d"]""", "c1", 7);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("version").GetInt64().ShouldBe(1);
        body.GetProperty("duplicate").GetBoolean().ShouldBeTrue();

        // Resent against a later base version too (the client caught up first): still the first commit.
        (await alice.SubmitOkAsync(id, 2, """[4, "d"]""", "c1", 7)).ShouldBe(1);
        (await alice.GetDocAsync(id)).ShouldBe((2L, "xabcd"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Concurrent_submits_from_many_clients_converge_with_every_insert_kept(string store)
    {
        await using var app = await DocsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var owner = tenant.User("owner");
        var (id, _, _) = await owner.CreateDocAsync("");
        const int Clients = 8;
        const int OpsEach = 12;

        // Every client inserts its own tokens at random places on whatever version it last saw.
        await Parallel.ForAsync(0, Clients, async (c, _) =>
        {
            using var client = tenant.User($"user{c}");
            var random = new Random(1000 + c);
            for (var seq = 1; seq <= OpsEach; seq++)
            {
                var (version, text) = await client.GetDocAsync(id);
                // Only between tokens: an insert is never split, so every token must survive whole.
                int[] boundaries = [0, .. text.Select((ch, i) => (ch, i)).Where(x => x.ch == '>').Select(x => x.i + 1)];
                var position = boundaries[random.Next(boundaries.Length)];
                var op = TextOp.Insert(position, $"<{c}.{seq}>");
                await client.SubmitOkAsync(id, version, op.ToJson(), $"client{c}", seq);
            }
        });

        var (final, finalText) = await owner.GetDocAsync(id);
        final.ShouldBe(Clients * OpsEach);
        for (var c = 0; c < Clients; c++)
        {
            for (var seq = 1; seq <= OpsEach; seq++)
            {
                finalText.ShouldContain($"<{c}.{seq}>");
            }
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Snapshots_keep_a_restarted_node_reading_the_same_text(string store)
    {
        var connection = await TestStores.CreateAsync(store);
        Guid id;
        string expected;
        TestTenant tenant;
        await using (var first = new DocsApp(connection))
        {
            tenant = await first.CreateTenantAsync();
            using var alice = tenant.User("alice");
            (id, _, _) = await alice.CreateDocAsync("");
            for (var i = 0; i < 25; i++)
            {
                await alice.SubmitOkAsync(id, i, TextOp.Insert(i, ((char)('a' + i)).ToString()).ToJson(), "c", i);
            }

            expected = (await alice.GetDocAsync(id)).Text;
        }

        await using var second = new DocsApp(connection);
        using var again = new TestTenant(tenant.ApiKey, tenant.Secret, second.CreateClient).User("alice");
        (await again.GetDocAsync(id)).ShouldBe((25L, expected));
        expected.ShouldBe("abcdefghijklmnopqrstuvwxy");
    }

    [Fact]
    public async Task Errors_have_their_codes()
    {
        await using var app = await DocsApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Stoa:Docs:MaxOpLength"] = "10",
            ["Stoa:Docs:MaxDocumentLength"] = "15",
        });
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var (id, _, _) = await alice.CreateDocAsync("0123456789");

        await (await alice.SubmitAsync(id, 0, """[1, "x", 1, "y"]""".Replace("\"x\"", "\"xxxxxxxxxxxx\"", StringComparison.Ordinal), "c", 1))
            .ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "op_too_large");
        await (await alice.SubmitAsync(id, 0, """[10, "abcdef"]""", "c", 2))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "doc_too_large");
        await (await alice.SubmitAsync(id, 0, """[11, "x"]""", "c", 3))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "op_invalid");
        await (await alice.SubmitAsync(id, 0, """[{"d": "xyz"}]""", "c", 4))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "op_invalid");
        await (await alice.SubmitAsync(id, 0, """[0, "x"]""", "c", 5))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "op_invalid");
        await (await alice.SubmitAsync(id, 5, """["x"]""", "c", 6))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "version_ahead");
        await (await alice.SubmitAsync(Guid.NewGuid(), 0, """["x"]""", "c", 7))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "doc_not_found");
        await (await alice.SubmitAsync(id, 0, """["x"]""", "bad id!", 8))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await alice.PostJsonTextAsync($"/v1/docs/{id}/ops", """{"baseVersion":0,"clientId":"c","seq":9}"""))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await alice.GetAsync($"/v1/docs/{id}/ops?from=3", TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "version_ahead");
        await (await alice.PostAsJsonAsync("/v1/docs", new { text = new string('x', 16) }, TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "doc_too_large");
        (await alice.GetDocAsync(id)).ShouldBe((0L, "0123456789"));

        using var anonymous = tenant.App();
        await (await anonymous.GetAsync($"/v1/docs/{id}", TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_token");
    }

    [Fact]
    public async Task Ops_per_second_per_user_are_limited()
    {
        await using var app = await DocsApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Stoa:Docs:OpsPerSecond"] = "0.01",
            ["Stoa:Docs:OpsBurst"] = "3",
        });
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        var (id, _, _) = await alice.CreateDocAsync("");
        for (var i = 0; i < 3; i++)
        {
            await alice.SubmitOkAsync(id, i, $"""["{i}"]""", "a", i);
        }

        var limited = await alice.SubmitAsync(id, 3, """["x"]""", "a", 3);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        (await bob.SubmitOkAsync(id, 3, """["b"]""", "b", 1)).ShouldBe(4);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task App_B_cannot_read_or_edit_app_As_document(string store)
    {
        await using var app = await DocsApp.StartAsync(store);
        var a = await app.CreateTenantAsync("A");
        var b = await app.CreateTenantAsync("B");
        using var alice = a.User("alice");
        using var mallory = b.User("alice");
        var (id, _, _) = await alice.CreateDocAsync("A's secret");

        await (await mallory.GetAsync($"/v1/docs/{id}", TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "doc_not_found");
        await (await mallory.GetAsync($"/v1/docs/{id}/ops?from=0", TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "doc_not_found");
        await (await mallory.SubmitAsync(id, 0, """[{"d": 3}]""", "m", 1))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "doc_not_found");
        (await alice.GetDocAsync(id)).ShouldBe((0L, "A's secret"));
    }
}
