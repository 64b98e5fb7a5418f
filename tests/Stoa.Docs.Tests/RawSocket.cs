using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>A bare WebSocket speaking the docs protocol, to test the wire format without the client SDK.</summary>
internal sealed class RawSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public WebSocket Socket => _socket;

    public static async Task<RawSocket> ConnectAsync(DocsApp app, TestTenant tenant, string user, Guid docId, string clientId, long? from = null)
    {
        var raw = new RawSocket();
        var query = $"clientId={clientId}&api_key={Uri.EscapeDataString(tenant.ApiKey)}&access_token={TestTokens.User(tenant.Secret, user)}"
            + (from is { } f ? $"&from={f}" : "");
        var uri = new Uri($"ws://{app.BaseAddress.Authority}/v1/docs/{docId}/live?{query}");
        await raw._socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        return raw;
    }

    /// <summary>
    /// A WebSocket handshake the server refuses: its status and problem+json body, read over a plain TCP connection
    /// because a WebSocket client shows neither body nor code.
    /// </summary>
    public static async Task<(int Status, JsonElement Problem)> RefusalAsync(DocsApp app, TestTenant tenant, string user, Guid docId, string clientId,
        long? from = null)
    {
        var query = $"clientId={clientId}&api_key={Uri.EscapeDataString(tenant.ApiKey)}&access_token={TestTokens.User(tenant.Secret, user)}"
            + (from is { } f ? $"&from={f}" : "");
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var request = $"GET /v1/docs/{docId}/live?{query} HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var statusLine = await reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? "";
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        status.ShouldNotBe(101, "the handshake was accepted");
        int? length = null;
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { Length: > 0 } header)
        {
            if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var body = new StringBuilder();
        if (length is { } fixedLength)
        {
            var chars = new char[fixedLength];
            body.Append(chars, 0, await reader.ReadBlockAsync(chars, TestContext.Current.CancellationToken));
        }
        else
        {
            // Chunked: a hex size line, the chunk, an empty line; a zero size ends it.
            while (int.Parse((await reader.ReadLineAsync(TestContext.Current.CancellationToken))!, System.Globalization.NumberStyles.HexNumber,
                System.Globalization.CultureInfo.InvariantCulture) is var size and > 0)
            {
                var chars = new char[size];
                body.Append(chars, 0, await reader.ReadBlockAsync(chars, TestContext.Current.CancellationToken));
                await reader.ReadLineAsync(TestContext.Current.CancellationToken);
            }
        }

        return (status, JsonDocument.Parse(body.ToString()).RootElement.Clone());
    }

    public Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    /// <summary>The next message, or null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return result.MessageType == WebSocketMessageType.Close ? null : JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
    }

    /// <summary>The next message of the given type, skipping others (presence, mostly).</summary>
    public async Task<JsonElement> ReceiveAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync() ?? throw new ShouldAssertException($"the socket closed while waiting for '{type}'");
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }

        _socket.Dispose();
    }
}
