using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Stoa.HostileSweep;

/// <summary>
/// Requests no HTTP client would build (too long, too many headers, NUL, not HTTP at all), written as raw bytes to the
/// target's socket. The HTTP server refuses them before the app sees them; the answer must still be a problem+json
/// with a code. Only for http:// targets (a TLS handshake is not worth writing here).
/// </summary>
public static class RawHttpCases
{
    public static IEnumerable<(string Name, string Request)> All(string host)
    {
        yield return ("request line over 8 KiB", $"GET /v1/users/{new string('a', 9000)} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return ("headers over 32 KiB", $"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nX-Big: {new string('a', 40_000)}\r\n\r\n");
        yield return ("120 headers", $"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"X-H{i}: v\r\n")) + "\r\n");
        yield return ("%00 in the path", $"GET /v1/users/a%00b/followers HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return ("NUL in a header", $"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nX-A: a\0b\r\n\r\n");
        yield return ("CR alone in a header", $"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nX-A: a\rb\r\n\r\n");
        yield return ("not HTTP", "GARBAGE\r\n\r\n");
        yield return ("HTTP/9.9", $"GET /healthz HTTP/9.9\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        yield return ("absolute URI with userinfo", $"GET http://user:pw@{host}/healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    }

    /// <summary>Sends one raw request; the broken rule, or null when the answer is a 4xx/5xx problem with a code.</summary>
    public static async Task<(int? Status, string? Rule, string Answer)> CheckAsync(Uri target, string request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        string text;
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(target.Host, target.Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = await reader.ReadToEndAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer: {ex.GetType().Name}", "");
        }

        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || split < 0 || !int.TryParse(text.AsSpan(9, 3), out var status))
        {
            return (null, "not an HTTP answer", text);
        }

        var head = text[..split];
        var body = text[(split + 4)..];
        if (status < 400)
        {
            return (status, null, head);
        }

        if (!head.Contains("Content-Type: application/problem+json", StringComparison.OrdinalIgnoreCase))
        {
            return (status, "error without an application/problem+json body carrying a code", head);
        }

        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 }
                ? (status, null, head)
                : (status, "error without an application/problem+json body carrying a code", body);
        }
        catch (JsonException)
        {
            return (status, "error without an application/problem+json body carrying a code", body);
        }
    }
}
