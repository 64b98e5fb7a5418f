using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Telemetry;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Feeds;

/// <summary>
/// The default feed: a random walk (geometric Brownian motion at the configured volatility) per symbol, ticking at
/// the configured rate from realistic opening prices. A new leader continues from the stored quotes, so prices do
/// not jump when the feed moves to another node.
/// </summary>
internal sealed partial class SimulatedExchange(IQuoteStore store, QuotesOptions options, TimeProvider time, ILogger<SimulatedExchange> logger,
    [FromKeyedServices(QuotesModule.Name)] ModuleTelemetry telemetry)
    : IQuoteFeed
{
    public const string FeedName = "simulated";

    // A trading year: 252 days of 6.5 hours.
    private const double SecondsPerTradingYear = 252 * 6.5 * 3600;

    private static readonly Dictionary<string, decimal> s_openingPrices = new(StringComparer.Ordinal)
    {
        ["AAPL"] = 228.52m,
        ["MSFT"] = 415.26m,
        ["GOOGL"] = 171.34m,
        ["AMZN"] = 186.41m,
        ["NVDA"] = 138.07m,
        ["TSLA"] = 242.84m,
        ["META"] = 560.12m,
        ["BRK.B"] = 453.90m,
        ["JPM"] = 221.49m,
        ["V"] = 281.35m,
    };

    public string Name => FeedName;

    public async Task RunAsync(CancellationToken leadership)
    {
        var settings = options.Simulated;
        var random = settings.Seed is { } seed ? new Random(seed) : new Random();
        var interval = TimeSpan.FromSeconds(1 / settings.TicksPerSecond);
        var step = settings.Volatility * Math.Sqrt(interval.TotalSeconds / SecondsPerTradingYear);
        var sequence = new FeedSequence(time);
        var walks = new List<Walk>();
        foreach (var symbol in options.SymbolList)
        {
            walks.Add(await StartAsync(symbol, sequence, leadership));
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(leadership))
        {
            foreach (var walk in walks)
            {
                var factor = Math.Exp((step * Gaussian(random)) - (step * step / 2));
                walk.Price = Round(walk.Price * (decimal)factor);
                var change = walk.Price - walk.Open;
                var quote = new Quote(walk.Symbol, walk.Price, settings.Currency, change,
                    Math.Round(change / walk.Open * 100, 2, MidpointRounding.ToEven), time.GetUtcNow(), sequence.Next(), FeedName);
                // Each tick's write is a trace of its own: the archive, the engine, the announcement to other nodes.
                using var span = telemetry.StartRootActivity("feed.write");
                span?.SetTag("stoa.quotes.symbol", walk.Symbol);
                try
                {
                    if (!await store.TryWriteAsync(QuoteScope.Market, quote, leadership))
                    {
                        LogSuperseded(logger, walk.Symbol);
                    }
                }
                catch (Exception ex) when (EngineFailure.IsUnreachable(ex))
                {
                    // The engine is away; the walk goes on and the next tick tries again.
                    LogWriteFailed(logger, ex);
                }
            }
        }
    }

    private async Task<Walk> StartAsync(string symbol, FeedSequence sequence, CancellationToken cancellationToken)
    {
        var open = OpeningPrice(symbol);
        try
        {
            if (await store.GetAsync(QuoteScope.Market, symbol, cancellationToken) is { } stored)
            {
                sequence.Observe(stored.Seq);
                return new Walk(symbol, stored.Price - (stored.Change ?? 0), stored.Price);
            }
        }
        catch (Exception ex) when (EngineFailure.IsUnreachable(ex))
        {
            LogWriteFailed(logger, ex);
        }

        return new Walk(symbol, open, open);
    }

    private decimal OpeningPrice(string symbol)
    {
        if (options.Simulated.Prices.TryGetValue(symbol, out var configured) && configured > 0)
        {
            return configured;
        }

        if (s_openingPrices.TryGetValue(symbol, out var known))
        {
            return known;
        }

        // Stable across nodes and restarts: derived from the symbol's characters, not string.GetHashCode.
        var hash = 17u;
        foreach (var c in symbol)
        {
            hash = (hash * 31) + c;
        }

        return 20m + (hash % 48_000) / 100m;
    }

    private static decimal Round(decimal price) => Math.Max(0.01m, Math.Round(price, price < 1 ? 4 : 2, MidpointRounding.ToEven));

    private static double Gaussian(Random random)
    {
        // Box–Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private sealed class Walk(string symbol, decimal open, decimal price)
    {
        public string Symbol { get; } = symbol;

        public decimal Open { get; } = open;

        public decimal Price { get; set; } = price;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A newer quote for {Symbol} is stored; tick dropped")]
    private static partial void LogSuperseded(ILogger logger, string symbol);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulated feed could not reach the engine")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex);
}
