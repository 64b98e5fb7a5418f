using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// Creates the collector, the providers and the span enricher when the host starts: the host resolves every hosted
/// service before it starts any, Kestrel included, so the listeners exist before the first request. The container owns
/// the collector and the providers and disposes them at shutdown, which flushes the OTLP exporters.
/// </summary>
internal sealed class TelemetryStartup : IHostedService, IDisposable
{
    private readonly RequestSpanEnricher? _enricher;

    public TelemetryStartup(PrometheusCollector collector, TracerProvider tracerProvider, MeterProvider meterProvider, DiagnosticListener? aspNetCoreListener = null)
    {
        Collector = collector;
        TracerProvider = tracerProvider;
        MeterProvider = meterProvider;
        _enricher = aspNetCoreListener is null ? null : new RequestSpanEnricher(aspNetCoreListener);
    }

    public PrometheusCollector Collector { get; }

    public TracerProvider TracerProvider { get; }

    public MeterProvider MeterProvider { get; }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _enricher?.Dispose();
}
