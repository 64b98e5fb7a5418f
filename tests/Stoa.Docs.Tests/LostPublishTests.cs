using Microsoft.Extensions.DependencyInjection;
using Stoa.Docs.Core;
using Stoa.Foundation.Auth;
using Stoa.Ot;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// Ops committed by a node whose publish never went out (Redis timed out, or the node crashed between commit and
/// publish) leave no gap for the other nodes to notice when nothing follows them. The relay's periodic read of the
/// store must bring them to the clients anyway.
/// </summary>
public sealed class LostPublishTests
{
    [Fact]
    public async Task Ops_committed_without_a_publish_reach_a_connected_client_from_the_store()
    {
        await using var node = await DocsApp.StartAsync("sqlite", new Dictionary<string, string?>
        {
            ["Stoa:Docs:PresenceHeartbeatSeconds"] = "0.2",
        });
        var ct = TestContext.Current.CancellationToken;
        var app = await node.Services.GetRequiredService<AppStore>().CreateAsync("lost publish", ct);
        var tenant = new TestTenant(app.ApiKey, app.Secret, node.CreateClient);
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("");
        await using var alice = await RawSocket.ConnectAsync(node, tenant, "alice", id, "alice-1");
        (await alice.ReceiveAsync("snapshot")).GetProperty("version").GetInt64().ShouldBe(0);

        // What another node committed and never published: more than one page of the store's reads, so the
        // catch-up must keep reading past a full page.
        const int Count = 1_005;
        var ops = Enumerable.Range(1, Count)
            .Select(v => new CommittedOp(v, TextOp.Insert(v - 1, "x"), "bob-1", v, "bob"))
            .ToList();
        (await node.Services.GetRequiredService<IDocStore>().TryInsertOpsAsync(app.Id, id, ops, ct)).Outcome.ShouldBe(InsertOutcome.Inserted);

        for (var version = 1; version <= Count; version++)
        {
            var op = await alice.ReceiveAsync("op");
            op.GetProperty("version").GetInt64().ShouldBe(version);
            op.GetProperty("clientId").GetString().ShouldBe("bob-1");
        }

        var reread = await http.GetDocAsync(id);
        reread.Version.ShouldBe(Count);
        reread.Text.ShouldBe(new string('x', Count));
    }
}
