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

    /// <summary>This node's id on the realtime layer, which its realtime spans carry as <c>stoa.node</c>.</summary>
    public string NodeId => Services.GetRequiredService<Stoa.Foundation.Realtime.RealtimeHub>().NodeId;

    /// <param name="recordSpans">False: no exporter and no processor, as in a deployment without OTLP.</param>
    /// <param name="store">The store's kind (<c>sqlite</c> or <c>postgres</c>), or a store URL another node already uses.</param>
    public static async Task<TelemetryTestApp> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool recordSpans = true,
        string store = "sqlite")
    {
        var app = new TelemetryTestApp(store.Contains(':', StringComparison.Ordinal) ? store : await TestStores.CreateAsync(store), settings, recordSpans);
        app.StartServer();
        return app;
    }

    /// <summary>A tenant whose clients send only the trace context a test puts on its requests (<see cref="StoaAppFactory{T}.CreateExternalClient"/>).</summary>
    public async Task<TestTenant> CreateTracedTenantAsync()
    {
        var tenant = await CreateTenantAsync();
        return new TestTenant(tenant.ApiKey, tenant.Secret, CreateExternalClient);
    }

    /// <summary>A request that carries its own sampled trace context, so that the test can find its spans among every app's.</summary>
    public static HttpRequestMessage TracedRequest(string url, out ActivityTraceId traceId, out ActivitySpanId parentSpanId, bool sampled = true) =>
        TracedRequest(HttpMethod.Get, url, out traceId, out parentSpanId, sampled);

    /// <inheritdoc cref="TracedRequest(string, out ActivityTraceId, out ActivitySpanId, bool)"/>
    public static HttpRequestMessage TracedRequest(HttpMethod method, string url, out ActivityTraceId traceId, out ActivitySpanId parentSpanId, bool sampled = true)
    {
        traceId = ActivityTraceId.CreateRandom();
        parentSpanId = ActivitySpanId.CreateRandom();
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{parentSpanId.ToHexString()}-{(sampled ? "01" : "00")}");
        return request;
    }
}
