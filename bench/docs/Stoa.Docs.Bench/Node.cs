using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Stoa.Testing;

namespace Stoa.Docs.Bench;

/// <summary>One real node in this process, on the embedded default (SQLite and the in-process engine), on real Kestrel.</summary>
internal sealed class Node : IAsyncDisposable
{
    private readonly StoaAppFactory<Program> _app;
    private readonly TestTenant _tenant;
    private readonly HttpClient _http;
    private int _next;

    private Node(StoaAppFactory<Program> app, TestTenant tenant)
    {
        _app = app;
        _tenant = tenant;
        _http = tenant.User("bench-owner");
    }

    public static async Task<Node> StartAsync()
    {
        // WebApplicationFactory finds the server's content root through MvcTestingAppManifest.json in the current directory.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var app = new StoaAppFactory<Program>(TestStores.CreateSqlite(), new Dictionary<string, string?>
        {
            ["Stoa:RateLimits:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        app.StartServer();
        return new Node(app, await app.CreateTenantAsync("bench"));
    }

    public async Task<Guid> CreateDocAsync(string text)
    {
        var response = await _http.PostAsJsonAsync("/v1/docs", new { text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>One bare WebSocket per document (no client-side text), waiting for each snapshot.</summary>
    public async Task<List<ClientWebSocket>> OpenRawSocketsAsync(IReadOnlyList<Guid> ids)
    {
        var sockets = new List<ClientWebSocket>();
        var token = TestTokens.User(_tenant.Secret, "watcher");
        var buffer = new byte[64 * 1024];
        foreach (var id in ids)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{_app.BaseAddress.Authority}/v1/docs/{id}/live?clientId=w{++_next}&api_key={_tenant.ApiKey}&access_token={token}"), CancellationToken.None);
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

    /// <summary>What the relay says it holds (text and recent ops).</summary>
    public long RelayBytes() => Stoa.Docs.DocsDiagnostics.RelayBytes(_app.Services);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }
}
