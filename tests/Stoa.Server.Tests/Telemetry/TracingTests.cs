using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>One server span per request from the ASP.NET Core instrumentation, module spans under it, logs that carry its ids.</summary>
public sealed class TracingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool IsServerSpan(Activity span) =>
        span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server;

    [Fact]
    public async Task A_span_is_emitted_per_request_with_route_and_status()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateExternalClient();

        for (var id = 1; id <= 3; id++)
        {
            using var request = TelemetryTestApp.TracedRequest($"/telemetry-test/items/{id}", out var traceId, out var parentSpanId);
            (await client.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

            var span = await app.Spans.WaitForAsync(traceId, IsServerSpan);
            app.Spans.ForTrace(traceId).Count(IsServerSpan).ShouldBe(1);
            span.ParentSpanId.ShouldBe(parentSpanId);
            span.GetTagItem("http.route").ShouldBe(TelemetryTestEndpoints.ItemRoute);
            span.GetTagItem("http.request.method").ShouldBe("GET");
            span.GetTagItem("http.response.status_code").ShouldBe(200);
            span.DisplayName.ShouldBe("GET " + TelemetryTestEndpoints.ItemRoute);
        }
    }

    [Fact]
    public async Task A_failed_request_span_has_its_status_and_error_type()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateExternalClient();
        using var request = TelemetryTestApp.TracedRequest("/telemetry-test/boom", out var traceId, out _);
        (await client.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.InternalServerError);

        var span = await app.Spans.WaitForAsync(traceId, IsServerSpan);
        span.GetTagItem("http.response.status_code").ShouldBe(500);
        span.GetTagItem("error.type").ShouldNotBeNull();
        span.Status.ShouldBe(ActivityStatusCode.Error);
    }

    [Fact]
    public async Task An_unmatched_request_span_is_named_by_its_method_only()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateExternalClient();
        using var request = TelemetryTestApp.TracedRequest($"/telemetry-test/nope/{Guid.NewGuid():N}", out var traceId, out _);
        (await client.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var span = await app.Spans.WaitForAsync(traceId, IsServerSpan);
        span.DisplayName.ShouldBe("GET");
        span.GetTagItem("http.route").ShouldBeNull();
        span.GetTagItem("http.response.status_code").ShouldBe(404);
        span.Status.ShouldBe(ActivityStatusCode.Unset);
    }

    [Fact]
    public async Task A_module_span_is_a_child_of_the_request_span()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateExternalClient();
        using var request = TelemetryTestApp.TracedRequest("/telemetry-test/work", out var traceId, out _);
        (await client.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var server = await app.Spans.WaitForAsync(traceId, IsServerSpan);
        var work = app.Spans.ForTrace(traceId).Single(s => s.Source.Name == "Stoa.Probe");
        work.DisplayName.ShouldBe("probe.work");
        work.ParentSpanId.ShouldBe(server.SpanId);
        work.GetTagItem("probe.items").ShouldBe(3);
    }

    [Fact]
    public async Task An_unsampled_caller_is_respected()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateExternalClient();
        using var unsampled = TelemetryTestApp.TracedRequest("/telemetry-test/items/1", out var unsampledTrace, out _, sampled: false);
        (await client.SendAsync(unsampled, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var sampled = TelemetryTestApp.TracedRequest("/telemetry-test/items/2", out var sampledTrace, out _);
        (await client.SendAsync(sampled, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await app.Spans.WaitForAsync(sampledTrace, IsServerSpan);
        app.Spans.ForTrace(unsampledTrace).ShouldBeEmpty();
    }

    [Fact]
    public async Task Log_lines_written_in_a_request_carry_its_trace_and_span_ids()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateExternalClient();
        var marker = Guid.NewGuid().ToString("N");
        using var request = TelemetryTestApp.TracedRequest($"/telemetry-test/log?marker={marker}", out var traceId, out _);
        (await client.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var span = await app.Spans.WaitForAsync(traceId, IsServerSpan);
        var entry = app.Logs.Entries.Single(e => e.Level == LogLevel.Information && e.Message == $"telemetry probe {marker}");
        entry.Scope["TraceId"]?.ToString().ShouldBe(traceId.ToHexString());
        entry.Scope["SpanId"]?.ToString().ShouldBe(span.SpanId.ToHexString());
    }

    [Fact]
    public async Task Without_an_exporter_log_lines_and_error_bodies_still_carry_the_callers_trace_id()
    {
        await using var app = await TelemetryTestApp.StartAsync(recordSpans: false);
        using var client = app.CreateExternalClient();
        var marker = Guid.NewGuid().ToString("N");
        using var request = TelemetryTestApp.TracedRequest($"/telemetry-test/log?marker={marker}", out var traceId, out var parentSpanId);
        (await client.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var entry = app.Logs.Entries.Single(e => e.Level == LogLevel.Information && e.Message == $"telemetry probe {marker}");
        entry.Scope["TraceId"]?.ToString().ShouldBe(traceId.ToHexString());
        // The request's own span id: hosting's activity, a child of the caller's.
        var spanId = entry.Scope["SpanId"]?.ToString();
        spanId.ShouldNotBeNull();
        spanId.ShouldMatch("^[0-9a-f]{16}$");
        spanId.ShouldNotBe(parentSpanId.ToHexString());

        using var failing = TelemetryTestApp.TracedRequest("/telemetry-test/boom", out var failingTrace, out _);
        using var response = await client.SendAsync(failing, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain($"\"traceId\":\"{failingTrace.ToHexString()}\"");
    }
}
