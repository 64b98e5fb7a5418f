using Stoa.Quotes.Core;

namespace Stoa.Quotes.Api;

/// <summary>A quote as the API returns it: with its age when the response was made, in milliseconds.</summary>
internal sealed record QuoteView(
    string Symbol,
    decimal Price,
    string Currency,
    decimal? Change,
    decimal? ChangePercent,
    DateTimeOffset At,
    long Seq,
    string Source,
    long AgeMs)
{
    public static QuoteView Of(Quote quote, DateTimeOffset now) => new(quote.Symbol, quote.Price, quote.Currency, quote.Change,
        quote.ChangePercent, quote.At, quote.Seq, quote.Source, Math.Max(0, (long)(now - quote.At).TotalMilliseconds));
}

/// <summary><c>GET /v1/quotes?symbols=…</c>: the quotes found, in the order asked, and the symbols without one.</summary>
internal sealed record QuoteListView(IReadOnlyList<QuoteView> Quotes, IReadOnlyList<string> NotFound);

/// <summary>
/// <c>PUT /v1/quotes/{symbol}</c> from an app's backend. <c>seq</c> orders writes (a write with a seq not greater than
/// the stored one is refused with 409); without it the node's clock in microseconds is used.
/// </summary>
internal sealed record PutQuoteRequest(decimal? Price, string? Currency, decimal? Change, decimal? ChangePercent, DateTimeOffset? At, long? Seq);
