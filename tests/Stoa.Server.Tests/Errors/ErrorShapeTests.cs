using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

using Stoa.Testing;

namespace Stoa.Server.Tests.Errors;

/// <summary>Every error path of the real pipeline answers problem+json with a stable code and the traceId.</summary>
public sealed class ErrorShapeTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Stoa:MaxRequestBodyBytes"] = "4096" });
        _client = _app.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Unknown_route_is_404_not_found()
    {
        await (await _client.GetAsync("/v1/nothing-here", TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Wrong_method_is_405_method_not_allowed()
    {
        await (await _client.DeleteAsync("/test/echo", TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task Oversized_body_is_413_payload_too_large()
    {
        var big = "{\"name\":\"" + new string('x', 10_000) + "\",\"count\":1}";
        await (await _client.PostJsonTextAsync("/test/echo", big))
            .ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Chunked_oversized_body_is_413_too()
    {
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 10_000) + "\",\"count\":1}")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await (await _client.SendAsync(request, TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Non_json_content_type_is_415_unsupported_media_type()
    {
        await (await _client.PostJsonTextAsync("/test/echo", "name=a", "application/x-www-form-urlencoded"))
            .ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("{\"name\": \"a\", ")]
    [InlineData("not json")]
    [InlineData("{\"name\": 5, \"count\": \"x\"}")]
    [InlineData("[1,2,3]")]
    public async Task Malformed_json_is_400_invalid_json(string body)
    {
        await (await _client.PostJsonTextAsync("/test/echo", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task Invalid_utf8_is_400_invalid_json()
    {
        var content = new ByteArrayContent([(byte)'{', (byte)'"', (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}']);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await (await _client.PostAsync("/test/echo", content, TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task Empty_body_is_400_invalid_json()
    {
        await (await _client.PostJsonTextAsync("/test/echo", "")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task Deeply_nested_json_is_400_invalid_json()
    {
        var nested = "{\"name\":\"a\",\"count\":1,\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        await (await _client.PostJsonTextAsync("/test/echo", nested)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task Validation_failures_list_every_field()
    {
        var body = await (await _client.PostJsonTextAsync("/test/echo", "{\"name\":\"\",\"count\":99}"))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = body.GetProperty("errors");
        errors.GetProperty("name")[0].GetString().ShouldBe("must be 1 to 20 characters");
        errors.GetProperty("count")[0].GetString().ShouldBe("must be between 1 and 10");
    }

    [Fact]
    public async Task Bad_route_value_is_404_and_bad_query_is_400()
    {
        await (await _client.GetAsync("/test/items/abc", TestContext.Current.CancellationToken)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _client.GetAsync("/test/slow?ms=soon", TestContext.Current.CancellationToken)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Api_exceptions_keep_their_status_and_code()
    {
        var body = await (await _client.GetAsync("/test/conflict", TestContext.Current.CancellationToken))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "widget_exists");
        body.GetProperty("detail").GetString().ShouldBe("That widget exists already.");
    }

    [Fact]
    public async Task Unhandled_exception_is_500_without_internal_text_and_logged_with_its_trace_id()
    {
        var response = await _client.GetAsync("/test/boom", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var body = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "internal_error");
        text.ShouldNotContain("secret internal detail");
        text.ShouldNotContain("InvalidOperationException");
        text.ShouldNotContain("   at ");

        var traceId = body.GetProperty("traceId").GetString()!;
        traceId.Length.ShouldBe(32);
        var logged = _app.Logs.Entries.Where(e => e.Level == LogLevel.Error && e.Exception?.Message == "secret internal detail 42").ToList();
        logged.ShouldHaveSingleItem().Scope["TraceId"]?.ToString().ShouldBe(traceId);
    }

    [Fact]
    public async Task Problems_are_json_even_when_the_client_accepts_only_html()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/missing");
        request.Headers.Accept.ParseAdd("text/html");
        await (await _client.SendAsync(request, TestContext.Current.CancellationToken)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
