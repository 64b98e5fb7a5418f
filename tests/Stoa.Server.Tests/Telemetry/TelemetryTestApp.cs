using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Telemetry;
using Stoa.Testing;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>The real app over Kestrel, with the telemetry test endpoints, a pretend module, an in-memory span exporter and a log capture.</summary>
public sealed class TelemetryTestApp : StoaAppFactory<Program>
{
    private TelemetryTestApp(string store, IReadOnlyDictionary<string, string?>? settings, bool recordSpans)
        : base(store, settings)
    {
        TestServices = services =>
        {
            services.AddSingleton<IEndpointContributor, TelemetryTestEndpoints>();
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddModuleTelemetry(ProbeModule.Name);
            services.AddSingleton<ProbeModule>();
            if (recordSpans)
            {
                services.ConfigureStoaTracing(tracing => Spans.AddTo(tracing));
            }
        };
    }

    public RecordedSpans Spans { get; } = new();

    public LogCapture Logs { get; } = new();

    /// <param name="recordSpans">False: no exporter and no processor, as in a deployment without OTLP.</param>
    public static async Task<TelemetryTestApp> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool recordSpans = true)
    {
        var app = new TelemetryTestApp(await TestStores.CreateAsync("sqlite"), settings, recordSpans);
        app.StartServer();
        return app;
    }

    /// <summary>A request that carries its own sampled trace context, so that the test can find its spans among every app's.</summary>
    public static HttpRequestMessage TracedRequest(string url, out ActivityTraceId traceId, out ActivitySpanId parentSpanId, bool sampled = true)
    {
        traceId = ActivityTraceId.CreateRandom();
        parentSpanId = ActivitySpanId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{parentSpanId.ToHexString()}-{(sampled ? "01" : "00")}");
        return request;
    }
}
