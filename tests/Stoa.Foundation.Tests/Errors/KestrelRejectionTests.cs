using System.Text;
using System.Text.Json;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.Tests.Errors;

public sealed class KestrelRejectionTests
{
    [Fact]
    public void A_refusal_of_the_http_server_becomes_a_problem_with_its_code()
    {
        var rewritten = KestrelRejection.TryRewrite(
            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\nDate: Sun, 06 Dec 2026 12:00:00 GMT\r\n\r\n"u8);
        rewritten.ShouldNotBeNull();
        var text = Encoding.UTF8.GetString(rewritten.Value.Response);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = text[..split];
        var body = text[(split + 4)..];
        head.ShouldStartWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
        head.ShouldContain("Content-Type: application/problem+json\r\n");
        head.ShouldContain($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n");
        head.ShouldContain("Connection: close\r\n");
        head.ShouldContain("Date: Sun, 06 Dec 2026 12:00:00 GMT");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("code").GetString().ShouldBe(FoundationErrors.HeaderFieldsTooLarge);
        problem.RootElement.GetProperty("traceId").GetString().ShouldBe(rewritten.Value.TraceId);
    }

    [Theory]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\nDate: x\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nDate: x\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n{\"x\":1}")]
    [InlineData("data: HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    public void Anything_but_that_exact_shape_passes_untouched(string block)
    {
        // Whatever the app sends has more headers (a Content-Type, the security headers) or a body.
        KestrelRejection.TryRewrite(Encoding.ASCII.GetBytes(block)).ShouldBeNull();
    }
}
