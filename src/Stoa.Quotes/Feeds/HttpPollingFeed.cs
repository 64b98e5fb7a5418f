using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Telemetry;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Feeds;

/// <summary>
/// Polls the configured provider for each symbol every interval and writes what changed as market quotes. When a
/// round fails the loop backs off exponentially (up to the configured maximum); when the breaker is open it waits
/// for the breaker instead of polling.
/// </summary>
internal sealed partial class HttpPollingFeed(IQuoteStore store, QuotesOptions options, HttpQuoteProvider provider, TimeProvider time,
    ILogger<HttpPollingFeed> logger, [FromKeyedServices(QuotesModule.Name)] ModuleTelemetry telemetry) : IQuoteFeed
{
    public const string FeedName = "http";

    public string Name => FeedName;

    public async Task RunAsync(CancellationToken leadership)
    {
        var settings = options.Http;
        var interval = TimeSpan.FromSeconds(settings.PollIntervalSeconds);
        var sequence = new FeedSequence(time);
        var failedRounds = 0;
        while (!leadership.IsCancellationRequested)
        {
            var wait = interval;
            var failed = false;
            foreach (var symbol in options.SymbolList)
            {
                // One trace per symbol and round: the provider's attempts, then the write.
                using var span = telemetry.StartRootActivity("feed.poll");
                span?.SetTag("stoa.quotes.symbol", symbol);
                try
                {
                    var answer = await provider.FetchAsync(symbol, leadership);
                    // The provider's own time orders its quotes: polling an unchanged quote again writes nothing.
                    var seq = answer.At is { } at ? (at - DateTimeOffset.UnixEpoch).Ticks / 10 : sequence.Next();
                    var quote = new Quote(symbol, answer.Price, answer.Currency, answer.Change, answer.ChangePercent,
                        answer.At ?? time.GetUtcNow(), seq, FeedName);
                    await store.TryWriteAsync(QuoteScope.Market, quote, leadership);
                }
                catch (BrokenCircuitException ex)
                {
                    span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "circuit open");
                    failed = true;
                    wait = ex.RetryAfter is { } after && after > wait ? after : wait;
                    LogBreakerOpen(logger, wait.TotalSeconds);
                    break;
                }
                catch (Exception ex) when (ex is ProviderException or HttpRequestException or TimeoutRejectedException || EngineFailure.IsUnreachable(ex))
                {
                    span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
                    span?.SetTag("error.type", ErrorTypes.Of(ex));
                    failed = true;
                    LogPollFailed(logger, symbol, ex.Message);
                }
            }

            failedRounds = failed ? failedRounds + 1 : 0;
            if (failedRounds > 0)
            {
                var backoff = interval * Math.Pow(2, Math.Min(failedRounds, 16));
                var max = TimeSpan.FromSeconds(settings.MaxBackoffSeconds);
                wait = TimeSpan.FromTicks(Math.Max(wait.Ticks, Math.Min(backoff.Ticks, max.Ticks)));
            }

            await Task.Delay(wait, time, leadership);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quote provider breaker is open; next poll in {Seconds} s")]
    private static partial void LogBreakerOpen(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the quote provider for {Symbol} failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string symbol, string reason);
}
