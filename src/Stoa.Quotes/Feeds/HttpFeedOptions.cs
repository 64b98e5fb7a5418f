namespace Stoa.Quotes;

/// <summary>
/// <c>Stoa:Quotes:Http</c>: polls a quote provider once per symbol per interval. The response's fields are picked
/// by dotted paths (<c>quote.price</c>, <c>data.0.c</c>); numbers may be JSON numbers or strings. Example (Finnhub):
/// <c>UrlTemplate=https://finnhub.io/api/v1/quote?symbol={symbol}</c>, <c>Headers:X-Finnhub-Token=…</c>,
/// <c>Price=c</c>, <c>Change=d</c>, <c>ChangePercent=dp</c>, <c>Time=t</c>, <c>TimeFormat=unix-s</c>.
/// </summary>
internal sealed class HttpFeedOptions
{
    /// <summary>The URL with <c>{symbol}</c> where the symbol goes (escaped).</summary>
    public string UrlTemplate { get; set; } = "";

    /// <summary>Request headers (API keys): set them from the environment, never in the repository.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string Price { get; set; } = "price";

    public string? Change { get; set; }

    public string? ChangePercent { get; set; }

    /// <summary>The quote's time; without it, the time of the poll.</summary>
    public string? Time { get; set; }

    /// <summary><c>unix-s</c>, <c>unix-ms</c> or <c>iso8601</c>.</summary>
    public string TimeFormat { get; set; } = "unix-s";

    /// <summary>A path to the currency in the response, or null for <see cref="Currency"/>.</summary>
    public string? CurrencyField { get; set; }

    public string Currency { get; set; } = "USD";

    public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>Deadline of one request.</summary>
    public double TimeoutSeconds { get; set; } = 2;

    /// <summary>Retries of a failed request (timeouts, 429, 5xx, connection errors), with jittered exponential backoff.</summary>
    public int MaxRetries { get; set; } = 2;

    public double RetryBaseDelaySeconds { get; set; } = 0.2;

    /// <summary>Longest pause of the poll loop after repeated failures.</summary>
    public double MaxBackoffSeconds { get; set; } = 30;

    /// <summary>The breaker opens when this share of the requests in <see cref="BreakerSamplingSeconds"/> failed…</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>…and at least this many were made.</summary>
    public int BreakerMinimumThroughput { get; set; } = 4;

    public double BreakerSamplingSeconds { get; set; } = 10;

    /// <summary>How long an open breaker refuses calls before letting one through to test the provider.</summary>
    public double BreakerBreakSeconds { get; set; } = 15;

    public IEnumerable<string> Validate(string section)
    {
        if (!Uri.TryCreate(UrlTemplate.Replace("{symbol}", "X", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || !UrlTemplate.Contains("{symbol}", StringComparison.Ordinal))
        {
            yield return $"{section}:UrlTemplate: an http(s) URL containing {{symbol}} is required when Feed is http.";
        }

        if (string.IsNullOrWhiteSpace(Price))
        {
            yield return $"{section}:Price: the path of the price field is required.";
        }

        if (TimeFormat is not ("unix-s" or "unix-ms" or "iso8601"))
        {
            yield return $"{section}:TimeFormat: '{TimeFormat}' is not one of unix-s, unix-ms, iso8601.";
        }

        if (PollIntervalSeconds is < 0.05 or > 3600 || TimeoutSeconds is < 0.05 or > 60)
        {
            yield return $"{section}:PollIntervalSeconds/TimeoutSeconds: out of range.";
        }

        if (BreakerFailureRatio is <= 0 or > 1 || BreakerMinimumThroughput < 2 || BreakerSamplingSeconds < 0.5 || BreakerBreakSeconds < 0.5)
        {
            yield return $"{section}:Breaker*: ratio in (0, 1], minimum throughput >= 2, durations >= 0.5 s.";
        }
    }
}
