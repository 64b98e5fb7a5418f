using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Stoa.Server.Tests.Deploy.RoutedNodes;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// deploy/haproxy.cfg's docs routing, with a real haproxy in front of three real nodes: one node orders each document
/// (every request and the WebSocket of a document land on it), documents spread over the nodes, and when a node goes
/// away only its documents move, to come back when it returns (docs/operations.md, "Docs routing").
/// </summary>
public sealed class DocsRoutingTests
{
    private const int Seed = 20261206;

    [Fact]
    public async Task Every_request_and_the_websocket_of_one_document_land_on_one_node_while_the_rest_is_round_robin()
    {
        await using var nodes = await RoutedNodes.StartAsync();
        using var http = nodes.User();
        // A node taken out by haproxy while the check ran (a slow /readyz on a loaded machine) moves documents for a
        // moment; such an attempt is run again, a routing fault fails every attempt.
        await nodes.WithAllNodesUpAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            var id = await CreateDocAsync(http);

            var seen = new List<string>();
            var (socket, socketNode) = await nodes.OpenLiveAsync(id, "watcher-1");
            using (socket)
            {
                seen.Add(socketNode);
                (await ReceiveTypeAsync(socket)).ShouldBe("snapshot");
                for (var seq = 1; seq <= 6; seq++)
                {
                    // A fresh client each time as well, so that no kept-alive connection can explain the affinity.
                    using var fresh = nodes.User();
                    var client = seq % 2 == 0 ? fresh : http;
                    seen.Add(await NodeOfAsync(await client.PostAsJsonAsync($"/v1/docs/{id}/ops", new { baseVersion = seq - 1, op = new object[] { "x" }, clientId = "router", seq }, ct)));
                    seen.Add(await NodeOfAsync(await client.GetAsync($"/v1/docs/{id}", ct)));
                    seen.Add(await NodeOfAsync(await client.GetAsync($"/v1/docs/{id}/ops?from=0", ct)));
                    (await ReceiveTypeAsync(socket)).ShouldBe("op", "the socket on the same node relays the op");
                }

                // The same id written otherwise (upper case, no hyphens) is the same document and the same node.
                seen.Add(await NodeOfAsync(await http.GetAsync($"/v1/docs/{id.ToString().ToUpperInvariant()}", ct)));
                seen.Add(await NodeOfAsync(await http.GetAsync($"/v1/docs/{id:N}", ct)));
            }

            seen.Distinct().ShouldHaveSingleItem($"every request of document {id} on one node: {string.Join(", ", seen)}");

            // Up to 30 tries: on a loaded machine haproxy may take a node out for a second when its /readyz is slow, while
            // a create routed by anything but round robin would land on one node every time.
            var creates = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 30 && creates.Count < 3; i++)
            {
                using var response = await http.PostAsJsonAsync("/v1/docs", new { text = "" }, ct);
                creates.Add(await NodeOfAsync(response, HttpStatusCode.Created));
            }

            creates.Count.ShouldBe(3, "POST /v1/docs is round robin over the three nodes");
        });
    }

    [Fact]
    public async Task Documents_spread_over_all_three_nodes()
    {
        await using var nodes = await RoutedNodes.StartAsync();
        using var http = nodes.User();
        await nodes.WithAllNodesUpAsync(async () =>
        {
            var owners = await OwnersAsync(http, RandomIds(Seed, 60));

            var perNode = owners.GroupBy(o => o.Value).ToDictionary(g => g.Key, g => g.Count());
            perNode.Count.ShouldBe(3, $"seed {Seed}: 60 documents on {string.Join(", ", perNode.Select(p => $"{p.Key} {p.Value}"))}");
            // Asked again, each document is still on its node.
            (await OwnersAsync(http, owners.Keys)).ShouldBe(owners, $"seed {Seed}");
        });
    }

    [Fact]
    public async Task When_its_node_is_down_a_document_moves_to_another_and_comes_back_with_its_edits()
    {
        await using var nodes = await RoutedNodes.StartAsync();
        using var http = nodes.User();
        var ct = TestContext.Current.CancellationToken;
        var id = await CreateDocAsync(http);
        var owner = await NodeOfAsync(await http.GetAsync($"/v1/docs/{id}", ct));
        var others = await OwnersAsync(http, RandomIds(Seed + 1, 30));

        // Counted, not just found: on a loaded machine haproxy may have marked the node down and up once already.
        int Marks(string state) => Regex.Count(nodes.Haproxy.Output, Regex.Escape($"Server stoa_docs/{owner} is {state}"));
        var downs = Marks("DOWN");
        await nodes.StopAsync(RoutedNodes.IndexOf(owner));
        // Until haproxy's checks mark the node down, a refused connection is sent to any other node (redispatch);
        // from then on the hash picks the document's next node on the ring.
        await nodes.WaitUntilAsync(() => Task.FromResult(Marks("DOWN") > downs), $"haproxy marks {owner} down");
        var standIn = await NodeOfAsync(await http.GetAsync($"/v1/docs/{id}", ct));
        standIn.ShouldNotBe(owner);

        // Another node orders it now: an edit, a read and the socket all land there.
        using (var edit = await http.PostAsJsonAsync($"/v1/docs/{id}/ops", new { baseVersion = 0, op = new object[] { "while away" }, clientId = "mover", seq = 1 }, ct))
        {
            (await NodeOfAsync(edit)).ShouldBe(standIn);
        }

        var (socket, socketNode) = await nodes.OpenLiveAsync(id, "watcher-2");
        socket.Dispose();
        socketNode.ShouldBe(standIn);

        // Consistent hashing: only the stopped node's documents moved; the others stayed where they were.
        var during = await OwnersAsync(http, others.Keys);
        foreach (var (doc, node) in others)
        {
            if (node == owner)
            {
                during[doc].ShouldNotBe(owner, $"seed {Seed + 1}: {doc}");
            }
            else
            {
                during[doc].ShouldBe(node, $"seed {Seed + 1}: {doc} moved from {node} though its node stayed up");
            }
        }

        var ups = Marks("UP");
        nodes.Start(RoutedNodes.IndexOf(owner));
        await nodes.WaitUntilAsync(() => Task.FromResult(Marks("UP") > ups), $"haproxy marks {owner} up again");

        await nodes.WithAllNodesUpAsync(async () =>
        {
            using var back = await http.GetAsync($"/v1/docs/{id}", ct);
            back.Headers.GetValues(RoutedNodes.NodeHeader).Single().ShouldBe(owner, "the document is back on its node");
            var body = await back.Content.ReadFromJsonAsync<JsonElement>(ct);
            body.GetProperty("text").GetString().ShouldBe("while away", "the returning node reads what was committed elsewhere");
            body.GetProperty("version").GetInt64().ShouldBe(1);
            (await OwnersAsync(http, others.Keys)).ShouldBe(others, "every document is back where it was");
        });
    }

    private static async Task<Guid> CreateDocAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/v1/docs", new { text = "" }, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    /// <summary>Ids no document has: the node that answers 404 for an id is the one that would order it.</summary>
    private static async Task<Dictionary<Guid, string>> OwnersAsync(HttpClient http, IEnumerable<Guid> ids)
    {
        var owners = new Dictionary<Guid, string>();
        foreach (var id in ids)
        {
            owners[id] = await NodeOfAsync(await http.GetAsync($"/v1/docs/{id}", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        }

        return owners;
    }

    private static async Task<string?> ReceiveTypeAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = new StringBuilder();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
            while (!result.EndOfMessage);

            var type = JsonDocument.Parse(message.ToString()).RootElement.GetProperty("type").GetString();
            // Presence comes and goes beside the ops; the order of snapshot and ops is what is checked.
            if (type != "presence")
            {
                return type;
            }
        }
    }
}
