using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Stoa.Docs.Core;
using Stoa.Docs.Relay;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Realtime;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// Who is on a document across nodes: each node repeats its own clients every heartbeat, so a client whose node
/// crashed goes offline everywhere else, and a node that opens the document later learns who is already there.
/// </summary>
public sealed class PresenceTests
{
    private static readonly Presence s_remote = new("bob-1", "bob", 5, Online: true, "node-b");
    private static readonly Presence s_local = new("alice-1", "alice", 2, Online: true, "node-a");

    [Fact]
    public void Another_nodes_client_is_forgotten_after_the_expiry_unless_repeated_and_a_local_one_never()
    {
        var board = new PresenceBoard("node-a");
        board.Apply(s_remote, now: 0).ShouldBeTrue();
        board.Apply(s_local, now: 0).ShouldBeTrue();

        board.Refresh([s_remote], now: 2_000).ShouldBeEmpty();
        board.Expire(now: 4_000, expiry: 3_000).ShouldBeEmpty();
        board.Expire(now: 5_001, expiry: 3_000).ShouldBe([s_remote with { Online = false, Cursor = null }]);

        board.Expire(now: 1_000_000, expiry: 3_000).ShouldBeEmpty();
        board.All.ShouldBe([s_local]);
    }

    [Fact]
    public void A_repeat_adds_unknown_clients_and_leaves_the_known_ones_cursors_as_transformed_here()
    {
        var board = new PresenceBoard("node-a");
        board.Apply(s_remote, now: 0);
        var carol = new Presence("carol-1", "carol", 7, Online: true, "node-c");

        // The repeat's cursor for bob was taken at node b's version, which may not be this node's.
        board.Refresh([s_remote with { Cursor = 1 }, carol, s_local], now: 10).ShouldBe([carol]);

        board.All.OrderBy(p => p.ClientId).ShouldBe([s_remote, carol]);
    }

    [Fact]
    public void Another_nodes_leave_for_a_client_now_connected_here_is_stale_and_dropped()
    {
        var board = new PresenceBoard("node-a");
        board.Apply(s_local, now: 0);

        board.Apply(s_local with { Online = false, NodeId = "node-b" }, now: 1).ShouldBeFalse();

        board.All.ShouldBe([s_local]);
        board.Remove(("alice", "alice-1"), out var removed).ShouldBeTrue();
        removed.ShouldBe(s_local);
        board.Remove(("alice", "alice-1"), out _).ShouldBeFalse();
    }

    [Fact]
    public void A_repeat_goes_over_the_wire_and_back_and_single_messages_still_parse()
    {
        var repeat = PresencePayloads.Read(PresencePayloads.Repeat([s_local, s_remote with { Cursor = null }]));
        repeat.ShouldNotBeNull();
        repeat.Value.Repeat.ShouldBeTrue();
        repeat.Value.Presences.ShouldBe([s_local, s_remote with { Cursor = null }]);

        var single = PresencePayloads.Read(PresencePayloads.Change(s_remote));
        single.ShouldNotBeNull();
        single.Value.Repeat.ShouldBeFalse();
        single.Value.Presences.ShouldBe([s_remote]);

        PresencePayloads.Read("""{"type":"presence.repeat","clients":[{"online":true}]}"""u8.ToArray()).ShouldBeNull();
        PresencePayloads.Read("not json"u8.ToArray()).ShouldBeNull();
    }

    [Fact]
    public async Task A_crashed_nodes_client_goes_offline_and_a_node_opening_the_document_later_learns_who_is_there()
    {
        var store = await TestStores.CreateAsync("postgres");
        var redis = await RedisServer.Shared;
        var settings = new Dictionary<string, string?>
        {
            ["Stoa:Redis"] = redis.Url,
            ["Stoa:Docs:PresenceHeartbeatSeconds"] = "0.2",
        };
        await using var nodeA = new DocsApp(store, settings);
        await using var nodeB = new DocsApp(store, settings);
        nodeA.StartServer();
        nodeB.StartServer();
        var app = await nodeA.Services.GetRequiredService<AppStore>().CreateAsync("presence", TestContext.Current.CancellationToken);
        var tenant = new TestTenant(app.ApiKey, app.Secret, nodeA.CreateClient);
        using var http = tenant.User("alice");
        var (id, _, _) = await http.CreateDocAsync("hello");

        await using var alice = await RawSocket.ConnectAsync(nodeA, tenant, "alice", id, "alice-1");
        await alice.ReceiveAsync("snapshot");

        // What a crashed node leaves behind: its client's join, and never a leave.
        var channel = EngineKeys.For(app.Id, "docs", id.ToString("N"), "presence");
        var ghost = new Presence("ghost-1", "ghost", 3, Online: true, "crashed-node");
        await using (var crashedNode = new RealtimeHub(nodeA.Services.GetRequiredService<IEngine>(), NullLogger<RealtimeHub>.Instance))
        {
            await crashedNode.PublishAsync(channel, "presence", PresencePayloads.Change(ghost), keepHistory: false, TestContext.Current.CancellationToken);
        }

        (await NextPresenceOfAsync(alice, "ghost-1")).GetProperty("online").GetBoolean().ShouldBeTrue();
        var offline = await NextPresenceOfAsync(alice, "ghost-1");
        offline.GetProperty("online").GetBoolean().ShouldBeFalse();
        offline.GetProperty("cursor").ValueKind.ShouldBe(JsonValueKind.Null);

        // Node B opens the document after alice joined on node A: A's next repeat tells B's clients she is there.
        await using var bob = await RawSocket.ConnectAsync(nodeB, tenant, "bob", id, "bob-1");
        await bob.ReceiveAsync("snapshot");
        var seen = await NextPresenceOfAsync(bob, "alice-1");
        seen.GetProperty("online").GetBoolean().ShouldBeTrue();
        seen.GetProperty("userId").GetString().ShouldBe("alice");

        // Live nodes keep their clients alive on each other well past the expiry.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        await bob.SendAsync("""{"type":"cursor","position":4}""");
        var moved = await NextPresenceOfAsync(alice, "bob-1", withCursor: true);
        moved.GetProperty("cursor").GetInt32().ShouldBe(4);
        await alice.SendAsync("""{"type":"cursor","position":1}""");
        var aliceMoved = await NextPresenceOfAsync(bob, "alice-1", withCursor: true);
        aliceMoved.GetProperty("online").GetBoolean().ShouldBeTrue();
    }

    /// <summary>The next presence message about <paramref name="clientId"/>, failing on any offline one when a cursor is awaited.</summary>
    private static async Task<JsonElement> NextPresenceOfAsync(RawSocket socket, string clientId, bool withCursor = false)
    {
        while (true)
        {
            var presence = await socket.ReceiveAsync("presence");
            if (presence.GetProperty("clientId").GetString() != clientId)
            {
                continue;
            }

            if (!withCursor)
            {
                return presence;
            }

            presence.GetProperty("online").GetBoolean().ShouldBeTrue($"{clientId} went offline while still connected");
            if (presence.GetProperty("cursor").ValueKind == JsonValueKind.Number)
            {
                return presence;
            }
        }
    }
}
