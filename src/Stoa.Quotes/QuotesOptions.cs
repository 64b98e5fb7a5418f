using Stoa.Quotes.Core;

namespace Stoa.Quotes;

/// <summary>
/// <c>Stoa:Quotes</c>. The feed (<see cref="Feed"/>) writes market quotes for <see cref="Symbols"/>, which every app
/// reads; an app's backend may push its own quotes, which override the market's for that app.
/// </summary>
internal sealed class QuotesOptions
{
    public const string Section = "Stoa:Quotes";

    /// <summary><c>simulated</c> (default: a random-walk exchange), <c>http</c> (poll a provider) or <c>none</c>.</summary>
    public string Feed { get; set; } = "simulated";

    /// <summary>Comma-separated symbols the feed covers.</summary>
    public string Symbols { get; set; } = "AAPL,MSFT,GOOGL,AMZN,NVDA,TSLA,META";

    /// <summary>How long the feed leader's lease lasts; another node takes over within this after the leader dies.</summary>
    public double LeaseTtlSeconds { get; set; } = 5;

    /// <summary>Read through the near-cache (process memory, invalidated by the engine). Off: every read asks the engine.</summary>
    public bool NearCache { get; set; } = true;

    /// <summary>Most symbols one list request or one stream may name.</summary>
    public int MaxSymbolsPerRequest { get; set; } = 100;

    /// <summary>How often an idle stream sends a heartbeat (SSE comment / WebSocket ping).</summary>
    public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>
    /// Maps <c>/v1/quotes/_bench/static</c> and <c>/v1/quotes/_bench/engine/{symbol}</c>, the comparison endpoints of
    /// bench/quotes. Off in production.
    /// </summary>
    public bool BenchEndpoints { get; set; }

    public SimulatedFeedOptions Simulated { get; set; } = new();

    public HttpFeedOptions Http { get; set; } = new();

    public IReadOnlyList<string> SymbolList =>
        [.. Symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Core.Symbols.TryNormalize(s, out var n) ? n : s).Distinct(StringComparer.Ordinal)];

    public TimeSpan LeaseTtl => TimeSpan.FromSeconds(LeaseTtlSeconds);

    /// <summary>Every problem with the settings, each naming its key.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (Feed is not ("simulated" or "http" or "none"))
        {
            errors.Add($"{Section}:Feed: '{Feed}' is not one of simulated, http, none.");
        }

        foreach (var symbol in Symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Core.Symbols.TryNormalize(symbol, out _))
            {
                errors.Add($"{Section}:Symbols: '{symbol}' is not a symbol (1-10 of A-Z 0-9 . -).");
            }
        }

        if (LeaseTtlSeconds is < 1 or > 300)
        {
            errors.Add($"{Section}:LeaseTtlSeconds: must be between 1 and 300.");
        }

        if (MaxSymbolsPerRequest is < 1 or > 1000)
        {
            errors.Add($"{Section}:MaxSymbolsPerRequest: must be between 1 and 1000.");
        }

        if (Simulated.TicksPerSecond is <= 0 or > 1000)
        {
            errors.Add($"{Section}:Simulated:TicksPerSecond: must be more than 0 and at most 1000.");
        }

        if (Feed == "http")
        {
            errors.AddRange(Http.Validate($"{Section}:Http"));
        }

        return errors;
    }
}

/// <summary><c>Stoa:Quotes:Simulated</c>: a random walk per symbol, from realistic opening prices.</summary>
internal sealed class SimulatedFeedOptions
{
    /// <summary>Ticks per second for each symbol.</summary>
    public double TicksPerSecond { get; set; } = 2;

    /// <summary>Annualised volatility of the walk (0.3 = 30 %), scaled to the tick interval.</summary>
    public double Volatility { get; set; } = 0.3;

    /// <summary>Fixed seed for a reproducible walk; null picks one at random.</summary>
    public int? Seed { get; set; }

    public string Currency { get; set; } = "USD";

    /// <summary>Opening prices by symbol; symbols not listed get a stable made-up price between 20 and 500.</summary>
    public Dictionary<string, decimal> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
