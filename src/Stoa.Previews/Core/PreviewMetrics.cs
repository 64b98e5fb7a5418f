using System.Diagnostics.Metrics;

namespace Stoa.Previews.Core;

/// <summary>The module's instruments on the <c>Stoa.Previews</c> meter.</summary>
internal sealed class PreviewMetrics : IDisposable
{
    public const string MeterName = "Stoa.Previews";

    private readonly bool _ownsMeter;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _upstreamBytes;

    public PreviewMetrics(IMeterFactory? meterFactory, Func<IEnumerable<BreakerStateChange>> breakerStates)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _upstreamDuration = Meter.CreateHistogram<double>(
            "stoa.previews.upstream.duration", unit: "ms", description: "Duration of one upstream request, headers and body.");
        _upstreamBytes = Meter.CreateCounter<long>(
            "stoa.previews.upstream.bytes", unit: "By", description: "Bytes read from upstreams, as received on the wire.");
        // Counted by state, never labelled by host: the hosts previewed are a tenant's browsing, and a label per host
        // would let one page full of links create unbounded series. Which host changed state is in the log.
        Meter.CreateObservableGauge<int>(
            "stoa.previews.breakers",
            () =>
            {
                var states = breakerStates().ToList();
                return (IEnumerable<Measurement<int>>)
                [
                    new Measurement<int>(states.Count(s => s.State == BreakerState.Open), new KeyValuePair<string, object?>("state", "open")),
                    new Measurement<int>(states.Count(s => s.State == BreakerState.HalfOpen), new KeyValuePair<string, object?>("state", "half_open")),
                ];
            },
            unit: "{host}",
            description: "Upstream hosts whose circuit breaker is open or half-open on this node.");
    }

    public Meter Meter { get; }

    /// <param name="outcome">ok, redirect, status, timeout, unreachable, too_large: a closed set, to keep cardinality low.</param>
    public void RecordUpstream(double milliseconds, string outcome) =>
        _upstreamDuration.Record(milliseconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordBytes(long bytes)
    {
        if (bytes > 0)
        {
            _upstreamBytes.Add(bytes);
        }
    }

    public void Dispose()
    {
        // A factory-created meter belongs to the factory (and the DI container) and is disposed with it.
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
