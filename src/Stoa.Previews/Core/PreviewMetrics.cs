using System.Diagnostics;
using System.Diagnostics.Metrics;
using Stoa.Foundation.Telemetry;

namespace Stoa.Previews.Core;

/// <summary>The instruments of upstream fetches and of extraction, on the module's <c>Stoa.Previews</c> meter.</summary>
internal sealed class PreviewMetrics : IDisposable
{
    private readonly ModuleTelemetry? _owned;
    private readonly ModuleTelemetry _telemetry;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _upstreamBytes;
    private readonly Histogram<double> _extractDuration;

    /// <param name="telemetry">The module's, from the host; null (a service built alone, in tests) makes a private one.</param>
    public PreviewMetrics(ModuleTelemetry? telemetry, Func<IEnumerable<BreakerStateChange>> breakerStates)
    {
        _owned = telemetry is null ? new ModuleTelemetry(PreviewsModule.Name) : null;
        telemetry ??= _owned!;
        _telemetry = telemetry;
        Meter = telemetry.Meter;
        _upstreamDuration = telemetry.CreateHistogram<double>("upstream.duration", "ms", "Duration of one upstream request, headers and body.");
        _upstreamBytes = telemetry.CreateCounter<long>("upstream.bytes", "By", "Bytes read from upstreams, as received on the wire.");
        _extractDuration = telemetry.CreateHistogram<double>(
            "extract.duration", "ms", "CPU time to turn a fetched HTML page into a card: decode, parse, scan, merge.");
        // Counted by state, never labelled by host: the hosts previewed are a tenant's browsing, and a label per host
        // would let one page full of links create unbounded series. Which host changed state is in the log.
        telemetry.CreateObservableGauge<int>(
            "breakers",
            () =>
            {
                var states = breakerStates().ToList();
                return (IEnumerable<Measurement<int>>)
                [
                    new Measurement<int>(states.Count(s => s.State == BreakerState.Open), new KeyValuePair<string, object?>("state", "open")),
                    new Measurement<int>(states.Count(s => s.State == BreakerState.HalfOpen), new KeyValuePair<string, object?>("state", "half_open")),
                ];
            },
            "{host}",
            "Upstream hosts whose circuit breaker is open or half-open on this node.");
    }

    public Meter Meter { get; }

    /// <summary>One upstream request (a hop: a redirect is another), <c>previews.fetch</c>; HttpClient's own span is its child.</summary>
    /// <param name="purpose"><c>page</c> or <c>oembed</c>.</param>
    public Activity? StartFetch(string purpose, Uri url)
    {
        var span = _telemetry.StartActivity("fetch", ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("stoa.previews.purpose", purpose);
            span.SetTag("server.address", url.Host);
            span.SetTag("server.port", url.Port);
        }

        return span;
    }

    /// <summary>A lookup of the answer cache, <c>previews.lookup</c>, tagged with what it decided.</summary>
    public Activity? StartActivity(string operation) => _telemetry.StartActivity(operation);

    /// <param name="outcome">ok, redirect, status, timeout, unreachable, too_large: a closed set, to keep cardinality low.</param>
    public void RecordUpstream(double milliseconds, string outcome) =>
        _upstreamDuration.Record(milliseconds, new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="body">head (reading stopped at &lt;/head&gt;) or full.</param>
    public void RecordExtraction(double milliseconds, string body) =>
        _extractDuration.Record(milliseconds, new KeyValuePair<string, object?>("body", body));

    public void RecordBytes(long bytes)
    {
        if (bytes > 0)
        {
            _upstreamBytes.Add(bytes);
        }
    }

    // The host's telemetry belongs to the DI container and is disposed with it.
    public void Dispose() => _owned?.Dispose();
}
