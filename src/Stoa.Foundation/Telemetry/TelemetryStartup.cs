using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// Creates the <c>/metrics</c> collector when the host starts: the host resolves every hosted service before it starts
/// any, Kestrel included, so its listener exists before the first request. At shutdown it flushes the OpenTelemetry
/// exporters, if any, once every request has finished; the container then disposes the providers.
/// </summary>
internal sealed class TelemetryStartup(IServiceProvider services, PrometheusCollector collector) : IHostedLifecycleService
{
    // Resolved now: by the time the host has stopped, a test host's container may already be going away.
    private readonly TracerProvider? _tracerProvider = services.GetService<TracerProvider>();
    private readonly MeterProvider? _meterProvider = services.GetService<MeterProvider>();

    // The providers' own shutdown waits 5 s at most, which a first OTLP export (connection, JIT) on a busy node can
    // exceed; an explicit flush gets longer.
    private const int FlushTimeoutMilliseconds = 15_000;

    public PrometheusCollector Collector { get; } = collector;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs after every hosted service has stopped, Kestrel included, so the last requests' spans are in.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.Run(() =>
    {
        _tracerProvider?.ForceFlush(FlushTimeoutMilliseconds);
        _meterProvider?.ForceFlush(FlushTimeoutMilliseconds);
    }, CancellationToken.None);
}
