using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Stoa.Testing;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// Three real nodes on fixed loopback ports over one PostgreSQL database and one Redis (the scaled-out setup), behind
/// deploy/haproxy.cfg run by a real haproxy. A node can be stopped and started again on its port, as a restarted
/// process would be. The nodes are named as haproxy names them (node1…node3), which is what <c>X-Stoa-Node</c> says.
/// </summary>
internal sealed class RoutedNodes : IAsyncDisposable
{
    public const string NodeHeader = "X-Stoa-Node";

    private readonly StoaAppFactory<Program>?[] _nodes = new StoaAppFactory<Program>?[3];
    private readonly int[] _ports;
    private readonly Dictionary<string, string?> _settings;

    private RoutedNodes(int[] ports, Dictionary<string, string?> settings)
    {
        _ports = ports;
        _settings = settings;
    }

    public HaproxyServer Haproxy { get; private set; } = null!;

    public TestTenant Tenant { get; private set; } = null!;

    public Uri Address => new($"http://127.0.0.1:{Haproxy.Port}");

    public static async Task<RoutedNodes> StartAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Stoa:Store"] = await TestStores.CreateAsync("postgres"),
            ["Stoa:Redis"] = (await RedisServer.Shared).Url,
            // Routing is under test here, not the request limiters.
            ["Stoa:RateLimits:Enabled"] = "false",
        };
        var nodes = new RoutedNodes([TestPorts.GetFree(), TestPorts.GetFree(), TestPorts.GetFree()], settings);
        try
        {
            // One after the other, so that the first applies the migrations alone.
            for (var i = 0; i < 3; i++)
            {
                nodes.Start(i);
            }

            nodes.Tenant = await nodes._nodes[0]!.CreateTenantAsync("routing");
            nodes.Haproxy = await HaproxyServer.StartAsync(RepoFiles.PathOf("deploy"), nodes._ports);
            await nodes.WaitUntilAllUpAsync();
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    public static int IndexOf(string node) => node switch
    {
        "node1" => 0,
        "node2" => 1,
        "node3" => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "haproxy names the nodes node1 to node3"),
    };

    /// <summary>The node that answered (haproxy's <c>X-Stoa-Node</c>), once the status is the one expected.</summary>
    public static async Task<string> NodeOfAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using (response)
        {
            response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
            response.Headers.TryGetValues(NodeHeader, out var values).ShouldBeTrue($"no {NodeHeader} on {response.RequestMessage?.RequestUri}");
            return values!.Single();
        }
    }

    /// <summary>Random ids (from a seed the caller prints on failure), which no object has: where a request for one
    /// lands is where the object would live.</summary>
    public static List<Guid> RandomIds(int seed, int count)
    {
        var random = new Random(seed);
        var bytes = new byte[16];
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            random.NextBytes(bytes);
            return new Guid(bytes);
        })];
    }

    /// <summary>A client through haproxy acting as a user; each request may take a new backend connection.</summary>
    public HttpClient User(string userId = "editor")
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Add("X-Api-Key", Tenant.ApiKey);
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.User(Tenant.Secret, userId));
        return client;
    }

    public void Start(int index)
    {
        var settings = new Dictionary<string, string?>(_settings) { ["Stoa:Urls"] = $"http://127.0.0.1:{_ports[index]}" };
        var node = new StoaAppFactory<Program>(settings["Stoa:Store"]!, settings);
        node.StartServer();
        _nodes[index] = node;
    }

    public async Task StopAsync(int index)
    {
        var node = _nodes[index] ?? throw new InvalidOperationException($"node{index + 1} is not running");
        _nodes[index] = null;
        await node.DisposeAsync();
    }

    /// <summary>Opens the document's WebSocket through haproxy and returns the node that accepted it.</summary>
    public async Task<(ClientWebSocket Socket, string Node)> OpenLiveAsync(Guid docId, string clientId)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var token = TestTokens.User(Tenant.Secret, "watcher");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{Haproxy.Port}/v1/docs/{docId}/live?clientId={clientId}&api_key={Tenant.ApiKey}&access_token={token}"),
            TestContext.Current.CancellationToken);
        var node = socket.HttpResponseHeaders?.GetValueOrDefault(NodeHeader)?.SingleOrDefault()
            ?? throw new ShouldAssertException($"the WebSocket upgrade through haproxy has no {NodeHeader} header");
        return (socket, node);
    }

    /// <summary>Polls (every 100 ms, up to 30 s) until the condition holds; haproxy's checks take 1 to 2 s to notice a change.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // A connection cut while a node stops; the next attempt decides.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new ShouldAssertException($"waited 30 s for: {what}\n{Haproxy.Output}");
    }

    /// <summary>
    /// Runs a check of the routing, and again (up to five times) only if haproxy took a node out while it ran: on a
    /// loaded machine a slow /readyz does that for a second or two, and the routing under test then moves by design. A
    /// check that fails while every node stayed up fails at once.
    /// </summary>
    public async Task WithAllNodesUpAsync(Func<Task> check)
    {
        for (var attempt = 1; ; attempt++)
        {
            await WaitUntilAllUpAsync();
            var downs = Downs();
            try
            {
                await check();
                return;
            }
            catch (ShouldAssertException) when (attempt < 5 && Downs() != downs)
            {
                // A node left and came back during the check: its outcome says nothing about the routing.
            }
        }
    }

    private Task WaitUntilAllUpAsync() => WaitUntilAsync(async () => (await NodesAnsweringAsync()).Count == 3, "haproxy sees all three nodes up");

    private int Downs() => Regex.Count(Haproxy.Output, " is DOWN");

    /// <summary>The nodes that answer a round-robin request through haproxy within a few tries.</summary>
    private async Task<HashSet<string>> NodesAnsweringAsync()
    {
        using var http = new HttpClient { BaseAddress = Address };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 6; i++)
        {
            using var response = await http.GetAsync("/readyz", TestContext.Current.CancellationToken);
            if (response.IsSuccessStatusCode && response.Headers.TryGetValues(NodeHeader, out var values))
            {
                seen.Add(values.Single());
            }
        }

        return seen;
    }

    public async ValueTask DisposeAsync()
    {
        Haproxy?.Dispose();
        foreach (var node in _nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }
}
