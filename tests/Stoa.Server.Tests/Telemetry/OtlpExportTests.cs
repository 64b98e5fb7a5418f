using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, traces and metrics leave over OTLP, flushed at shutdown at the latest.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Traces_and_metrics_are_exported_over_otlp_when_the_endpoint_is_set()
    {
        var ct = TestContext.Current.CancellationToken;
        using var receiver = new FakeOtlpReceiver();
        var app = await TelemetryTestApp.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "stoa-otlp-test",
        });
        await using (app)
        {
            using var client = app.CreateExternalClient();
            using var request = TelemetryTestApp.TracedRequest("/telemetry-test/items/7", out var traceId, out _);
            (await client.SendAsync(request, ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            await app.Spans.WaitForAsync(traceId, s => s.Source.Name == "Microsoft.AspNetCore");

            // Spans are batched (5 s by default): flush them now rather than wait.
            app.Services.GetRequiredService<TracerProvider>().ForceFlush(30_000).ShouldBeTrue();
            var traces = receiver.Requests.Where(r => r.Path == "/v1/traces").ToList();
            traces.ShouldNotBeEmpty($"paths: {string.Join(", ", receiver.Requests.Select(r => r.Path))}");
            traces[0].ContentType.ShouldBe("application/x-protobuf");
            var traceText = string.Concat(traces.Select(r => Encoding.UTF8.GetString(r.Body)));
            traceText.ShouldContain("stoa-otlp-test");
            traceText.ShouldContain("service.instance.id");
            traceText.ShouldContain(TelemetryTestEndpoints.ItemRoute);
        }

        // Metrics are exported every 60 s by default; stopping the app flushed them.
        var metrics = receiver.Requests.Where(r => r.Path == "/v1/metrics").ToList();
        metrics.ShouldNotBeEmpty($"paths: {string.Join(", ", receiver.Requests.Select(r => r.Path))}");
        string.Concat(metrics.Select(r => Encoding.UTF8.GetString(r.Body))).ShouldContain("http.server.request.duration");
    }
}
