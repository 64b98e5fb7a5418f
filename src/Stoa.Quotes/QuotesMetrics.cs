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
    private readonly Counter<long> _writes;

    public QuotesMetrics(ModuleTelemetry telemetry, IServiceProvider services)
    {
        _writes = telemetry.CreateCounter<long>("writes", "{quote}", "Quote writes, by scope (market, app) and outcome (applied, superseded).");
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

    public void Written(bool market, bool applied) => _writes.Add(1,
        new KeyValuePair<string, object?>("scope", market ? "market" : "app"),
        new KeyValuePair<string, object?>("outcome", applied ? "applied" : "superseded"));
}
