using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Stoa.Client;
using Stoa.Testing;

namespace Stoa.Docs.Bench;

/// <summary>1 to N real server nodes in this process over one store (and one Redis when there are several nodes or PostgreSQL).</summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly List<StoaAppFactory<Program>> _nodes;
    private readonly TestTenant _tenant;
    private readonly HttpClient _http;
    private int _next;

    private Cluster(List<StoaAppFactory<Program>> nodes, TestTenant tenant)
    {
        _nodes = nodes;
        _tenant = tenant;
        _http = tenant.User("bench-owner");
    }

    public static async Task<Cluster> StartAsync(string store, int nodeCount)
    {
        // WebApplicationFactory finds the server's content root through MvcTestingAppManifest.json in the current directory.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var connection = store == "postgres" ? await (await PostgresServer.Shared).CreateDatabaseAsync() : TestStores.CreateSqlite();
        var settings = new Dictionary<string, string?>
        {
            ["Stoa:RateLimits:Enabled"] = "false",
            ["Stoa:Docs:OpsPerSecond"] = "1000000",
            ["Stoa:Docs:OpsBurst"] = "1000000",
            ["Stoa:Docs:SocketQueueLength"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (nodeCount > 1 || store == "postgres")
        {
            settings["Stoa:Redis"] = (await RedisServer.Shared).Url;
        }

        var nodes = new List<StoaAppFactory<Program>>();
        for (var i = 0; i < nodeCount; i++)
        {
            var node = new StoaAppFactory<Program>(connection, settings);
            node.StartServer();
            nodes.Add(node);
        }

        return new Cluster(nodes, await nodes[0].CreateTenantAsync("bench"));
    }

    public async Task<Guid> CreateDocAsync(string text)
    {
        var response = await _http.PostAsJsonAsync("/v1/docs", new { text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<(long Version, string Text)> ReadDocAsync(Guid id)
    {
        var body = await _http.GetFromJsonAsync<JsonElement>($"/v1/docs/{id}");
        return (body.GetProperty("version").GetInt64(), body.GetProperty("text").GetString()!);
    }

    /// <summary>Sessions spread round-robin over the nodes, each as its own user.</summary>
    public async Task<List<DocSession>> OpenSessionsAsync(Guid id, int count)
    {
        var sessions = new List<DocSession>();
        for (var i = 0; i < count; i++)
        {
            var node = _nodes[_next++ % _nodes.Count];
            var user = $"u{_next}";
            sessions.Add(await DocSession.OpenAsync(id, new DocSessionOptions
            {
                ServerAddress = () => node.BaseAddress,
                ApiKey = _tenant.ApiKey,
                AccessToken = () => TestTokens.User(_tenant.Secret, user),
            }));
        }

        return sessions;
    }

    /// <summary>One bare WebSocket per document (no client-side text), waiting for each snapshot.</summary>
    public async Task<List<ClientWebSocket>> OpenRawSocketsAsync(IReadOnlyList<Guid> ids)
    {
        var sockets = new List<ClientWebSocket>();
        var token = TestTokens.User(_tenant.Secret, "watcher");
        var buffer = new byte[64 * 1024];
        foreach (var id in ids)
        {
            var node = _nodes[_next++ % _nodes.Count];
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{node.BaseAddress.Authority}/v1/docs/{id}/live?clientId=w{_next}&api_key={_tenant.ApiKey}&access_token={token}"), CancellationToken.None);
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            }
            while (!result.EndOfMessage);
            sockets.Add(socket);
        }

        return sockets;
    }

    /// <summary>What the relays say they hold (text and recent ops), summed over the nodes.</summary>
    public long RelayBytes() => _nodes.Sum(n => Stoa.Docs.DocsDiagnostics.RelayBytes(n.Services));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
