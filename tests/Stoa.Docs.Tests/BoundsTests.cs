using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Sql;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// What one user can make a node and the store hold: read pages bounded by bytes, ops checked again after transform,
/// compact storage, a per-app quota, and an op log compacted into snapshots.
/// </summary>
public sealed class BoundsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Op_pages_stop_at_their_byte_budget_and_page_on_to_the_head_on_rest_and_socket()
    {
        await using var app = await DocsApp.StartAsync("sqlite", new Dictionary<string, string?> { ["Stoa:Docs:ReadPageBytes"] = "65536" });
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");
        var chunk = new string('x', 20_000);
        for (var v = 0; v < 10; v++)
        {
            await http.SubmitOkAsync(id, v, InsertAt(v * chunk.Length, chunk), "alice-1", v + 1);
        }

        // 20 KB per op: a 64 KiB page holds four of them, whatever the limit asked for.
        var versions = new List<long>();
        long from = 0;
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/v1/docs/{id}/ops?from={from}&limit=1000", Ct);
            var ops = page.GetProperty("ops").EnumerateArray().Select(o => o.GetProperty("version").GetInt64()).ToList();
            ops.Count.ShouldBeInRange(1, 4);
            versions.AddRange(ops);
            from = ops[^1];
            if (from == page.GetProperty("version").GetInt64())
            {
                break;
            }
        }

        versions.ShouldBe(Enumerable.Range(1, 10).Select(v => (long)v));

        // A socket catching up from version 0 reads the same pages and gets every op once, in order.
        await using var socket = await RawSocket.ConnectAsync(app, tenant, "bob", id, "bob-1", from: 0);
        for (var v = 1; v <= 10; v++)
        {
            (await socket.ReceiveAsync("op")).GetProperty("version").GetInt64().ShouldBe(v);
        }
    }

    [Fact]
    public async Task An_op_that_transform_makes_too_large_is_refused()
    {
        await using var app = await DocsApp.StartAsync("sqlite", new Dictionary<string, string?> { ["Stoa:Docs:MaxOpComponents"] = "2" });
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("abcdef");
        (await http.SubmitOkAsync(id, 0, """[2, "XY"]""", "bob-1", 1)).ShouldBe(1);

        // One component as sent; past the insert inside its range the delete becomes three.
        await (await http.SubmitAsync(id, 0, """[{"d":4}]""", "alice-1", 1)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "op_too_large");
        (await http.GetDocAsync(id)).ShouldBe((1L, "abXYcdef"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Ops_are_stored_as_utf8_with_their_size(string store)
    {
        await using var app = await DocsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");
        var emoji = string.Concat(Enumerable.Repeat("👍🏽", 1000));
        await http.SubmitOkAsync(id, 0, $$"""["{{emoji}}\n"]""", "alice-1", 1);

        var database = app.Services.GetRequiredService<StoaDatabase>();
        var row = await database.ReadAsync(c => c.QuerySingleAsync<(string Op, long Size)>(
            new CommandDefinition("SELECT op, CAST(size AS BIGINT) FROM doc_ops WHERE doc_id = @id", new { id }, cancellationToken: Ct)), Ct);
        row.Op.ShouldBe($"[\"{emoji}\\n\"]");
        row.Size.ShouldBe(Encoding.UTF8.GetByteCount(row.Op));
        row.Size.ShouldBeLessThan(8_100);
    }

    [Fact]
    public async Task An_app_past_its_storage_quota_is_refused_and_another_app_is_not()
    {
        await using var app = await DocsApp.StartAsync("sqlite", new Dictionary<string, string?> { ["Stoa:Docs:AppStorageQuotaBytes"] = "1048576" });
        var tenant = await app.CreateTenantAsync();
        var other = await app.CreateTenantAsync("other");
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");
        var chunk = new string('q', 60_000);
        HttpResponseMessage? refused = null;
        for (var v = 0; v < 40 && refused is null; v++)
        {
            // Each op replaces the text, so the document stays small while its op log grows.
            var op = v == 0 ? $$"""["{{chunk}}"]""" : $$"""[{"d":{{chunk.Length}}}, "{{chunk}}"]""";
            var response = await http.SubmitAsync(id, v, op, "alice-1", v + 1);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                refused = response;
            }
        }

        refused.ShouldNotBeNull("1 MiB of 60 KB ops never reached the quota");
        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "storage_quota_exceeded");
        await (await http.PostJsonTextAsync("/v1/docs", """{"text":"more"}""")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "storage_quota_exceeded");

        using var elsewhere = other.User("alice");
        var (otherId, _, _) = await elsewhere.CreateDocAsync("fine");
        (await elsewhere.SubmitOkAsync(otherId, 0, """[4, "!"]""", "alice-1", 1)).ShouldBe(1);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_op_log_is_compacted_into_a_snapshot_past_its_retention(string store)
    {
        var connection = await TestStores.CreateAsync(store);
        var settings = new Dictionary<string, string?> { ["Stoa:Docs:SnapshotEvery"] = "10", ["Stoa:Docs:MaxVersionLag"] = "20" };
        Guid id;
        TestTenant tenant;
        await using (var app = new DocsApp(connection, settings))
        {
            app.StartServer();
            tenant = await app.CreateTenantAsync();
            using var http = tenant.User("alice");
            (id, _, _) = await http.CreateDocAsync("");
            for (var v = 0; v < 100; v++)
            {
                await http.SubmitOkAsync(id, v, InsertAt(v, $"{(char)('a' + (v % 26))}"), "alice-1", v + 1);
            }

            var database = app.Services.GetRequiredService<StoaDatabase>();
            var (ops, oldest, snapshots, bytes) = await database.ReadAsync(c => c.QuerySingleAsync<(long, long, long, long)>(new CommandDefinition("""
                SELECT (SELECT COUNT(*) FROM doc_ops WHERE doc_id = @id), (SELECT MIN(version) FROM doc_ops WHERE doc_id = @id),
                       (SELECT COUNT(*) FROM doc_snapshots WHERE doc_id = @id), (SELECT bytes FROM docs WHERE id = @id)
                """, new { id }, cancellationToken: Ct)), Ct);
            ops.ShouldBeLessThanOrEqualTo(30);
            oldest.ShouldBeGreaterThan(70);
            snapshots.ShouldBe(1);
            var stored = await database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT CAST((SELECT SUM(size) FROM doc_ops WHERE doc_id = @id) + (SELECT SUM(size) FROM doc_snapshots WHERE doc_id = @id) AS BIGINT)",
                new { id }, cancellationToken: Ct)), Ct);
            bytes.ShouldBe(stored);

            // What was compacted away is refused as too old (fetch the document again); what is kept still reads.
            await (await http.GetAsync($"/v1/docs/{id}/ops?from=0", Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "version_too_old");
            (await RawSocket.RefusalAsync(app, tenant, "alice", id, "alice-2", from: 0)).Status.ShouldBe(409);
            (await http.GetFromJsonAsync<JsonElement>($"/v1/docs/{id}/ops?from=90", Ct)).GetProperty("ops").GetArrayLength().ShouldBe(10);
        }

        // A node that never saw the document reads the same text from the snapshot and the kept ops.
        await using var fresh = new DocsApp(connection, settings);
        fresh.StartServer();
        var expected = string.Concat(Enumerable.Range(0, 100).Select(v => (char)('a' + (v % 26))));
        using var reader = new TestTenant(tenant.ApiKey, tenant.Secret, fresh.CreateClient).User("bob");
        (await reader.GetDocAsync(id)).ShouldBe((100L, expected));
    }

    /// <summary>An insert as JSON (an op never starts with a zero skip).</summary>
    private static string InsertAt(int at, string text) => at == 0 ? $$"""["{{text}}"]""" : $$"""[{{at}}, "{{text}}"]""";
}
