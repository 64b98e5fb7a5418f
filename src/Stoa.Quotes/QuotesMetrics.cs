using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Stoa.Foundation.Realtime;
using Stoa.Foundation.Telemetry;
using Stoa.Quotes.Core;
using Stoa.Quotes.Feeds;
using Stoa.Quotes.Storage;

namespace Stoa.Quotes;

/// <summary>
/// What operators of the quotes module watch: writes applied or refused as older, this node's stream clients,
/// whether it runs the feed, and the provider breaker. Gauges read their services lazily, when scraped.
/// </summary>
internal sealed class QuotesMetrics
{
    private readonly ModuleTelemetry _telemetry;
    private readonly Counter<long> _writes;
    private readonly Histogram<double> _reloadLag;

    public QuotesMetrics(ModuleTelemetry telemetry, IServiceProvider services)
    {
        _telemetry = telemetry;
        _writes = telemetry.CreateCounter<long>("writes", "{quote}", "Quote writes, by scope (market, app) and outcome (applied, superseded).");
        _reloadLag = telemetry.CreateHistogram<double>("reload.lag", "s",
            "Time from a quote's write (on any node) to this node loading it into its near-cache: after an invalidation, how long the previous price could still be served here.",
            [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);
        telemetry.CreateObservableGauge("stream.clients",
            () => One(services.GetService<RealtimeHub>()?.ListenerCount(QuoteKeys.Ticks(QuoteScope.Market)) ?? 0),
            "{client}", "SSE and WebSocket clients streaming quotes from this node.");
        telemetry.CreateObservableGauge("feed.leader", () => One(services.GetService<FeedLeader>()?.IsLeader == true ? 1 : 0),
            "{node}", "1 while this node holds the feed lease and runs the feed.");
        telemetry.CreateObservableGauge("provider.breaker_open",
            () => One(services.GetService<HttpQuoteProvider>()?.BreakerState is CircuitState.Open or CircuitState.Isolated ? 1 : 0),
            "{breaker}", "1 while the quote provider's circuit breaker refuses calls.");
    }

    private static Measurement<int>[] One(int value) => [new Measurement<int>(value)];

    /// <summary>A near-cache load of one quote, <c>quotes.reload</c>.</summary>
    public Activity? StartReload() => _telemetry.StartActivity("reload");

    public void Reloaded(TimeSpan sinceWrite) => _reloadLag.Record(sinceWrite.TotalSeconds);

    public void Written(bool market, bool applied) => _writes.Add(1,
        new KeyValuePair<string, object?>("scope", market ? "market" : "app"),
        new KeyValuePair<string, object?>("outcome", applied ? "applied" : "superseded"));
}
