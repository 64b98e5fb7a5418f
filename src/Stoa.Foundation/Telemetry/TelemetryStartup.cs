using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// Creates the collector, the providers and the span enricher when the host starts: the host resolves every hosted
/// service before it starts any, Kestrel included, so the listeners exist before the first request. At shutdown it
/// flushes the exporters once every request has finished; the container then disposes the providers.
/// </summary>
internal sealed class TelemetryStartup : IHostedLifecycleService, IDisposable
{
    // The providers' own shutdown waits 5 s at most, which a first OTLP export (connection, JIT) on a busy node can
    // exceed; an explicit flush gets longer.
    private const int FlushTimeoutMilliseconds = 15_000;

    private readonly RequestSpanEnricher? _enricher;

    public TelemetryStartup(IServiceProvider services, PrometheusCollector collector, TracerProvider tracerProvider, MeterProvider meterProvider, DiagnosticListener? aspNetCoreListener = null)
    {
        Collector = collector;
        TracerProvider = tracerProvider;
        MeterProvider = meterProvider;
        // The enricher's subscription alone makes hosting raise two events per request; without spans it has nothing to do.
        _enricher = aspNetCoreListener is not null && OpenTelemetryProviders.RecordsTraces(services)
            ? new RequestSpanEnricher(aspNetCoreListener)
            : null;
    }

    public PrometheusCollector Collector { get; }

    public TracerProvider TracerProvider { get; }

    public MeterProvider MeterProvider { get; }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs after every hosted service has stopped, Kestrel included, so the last requests' spans are in.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.Run(() =>
    {
        TracerProvider.ForceFlush(FlushTimeoutMilliseconds);
        MeterProvider.ForceFlush(FlushTimeoutMilliseconds);
    }, CancellationToken.None);

    public void Dispose() => _enricher?.Dispose();
}
