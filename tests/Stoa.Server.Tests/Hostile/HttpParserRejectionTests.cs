using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Stoa.Foundation.Errors;

namespace Stoa.Server.Tests.Hostile;

/// <summary>
/// Requests the HTTP server refuses before the app sees them (too long, too many headers, NUL, garbage) still get the
/// problem+json body and stable code every other error has. Sent as raw bytes, since an HTTP client refuses to build
/// most of them.
/// </summary>
public sealed class HttpParserRejectionTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string, int, string> Attacks() => new()
    {
        { "a request line over 8 KiB", $"GET /v1/users/{new string('a', 9000)} HTTP/1.1\r\nHost: x\r\n\r\n", 414, FoundationErrors.UriTooLong },
        { "headers over 32 KiB", $"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 40_000)}\r\n\r\n", 431, FoundationErrors.HeaderFieldsTooLarge },
        { "more than 100 headers", "GET /healthz HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"X-H{i}: v\r\n")) + "\r\n", 431, FoundationErrors.HeaderFieldsTooLarge },
        { "%00 in the path", "GET /v1/users/a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400, FoundationErrors.BadRequest },
        { "NUL in a header", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", 400, FoundationErrors.BadRequest },
        { "a request line that is not HTTP", "GARBAGE\r\n\r\n", 400, FoundationErrors.BadRequest },
        { "an unknown HTTP version", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 505, FoundationErrors.HttpVersionNotSupported },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Refusals_of_the_http_server_are_problems_with_a_code(string attack, string request, int status, string code)
    {
        var (head, body) = await SendRawAsync(request);
        head.ShouldStartWith($"HTTP/1.1 {status} ", customMessage: attack);
        head.ShouldContain("Content-Type: application/problem+json");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(status);
        problem.RootElement.GetProperty("code").GetString().ShouldBe(code);
        problem.RootElement.GetProperty("traceId").GetString()!.Length.ShouldBe(32);
        _app.Logs.Entries.ShouldContain(e => e.Message.Contains(problem.RootElement.GetProperty("traceId").GetString()!, StringComparison.Ordinal),
            "the log line carries the traceId the client was given");
    }

    [Fact]
    public async Task A_refusal_after_a_good_request_on_the_same_connection_is_rewritten_and_the_good_one_is_not()
    {
        var (head, body) = await SendRawAsync("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n");
        head.ShouldStartWith("HTTP/1.1 200 ");
        body.ShouldContain("\"status\":\"ok\"");
        body.ShouldContain("HTTP/1.1 400 Bad Request");
        body.ShouldContain($"\"code\":\"{FoundationErrors.BadRequest}\"");
    }

    private async Task<(string Head, string Body)> SendRawAsync(string request)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new TcpClient();
        await client.ConnectAsync(_app.BaseAddress.Host, _app.BaseAddress.Port, ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var text = await reader.ReadToEndAsync(timeout.Token);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (text[..split], text[(split + 4)..]);
    }
}
