using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Stoa.Foundation.Errors;
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
internal sealed record PutQuoteRequest(
    [property: Required, Range(typeof(decimal), "0.000001", "999999999.999999"), Description("The price, above 0 and below 1e9.")] decimal? Price,
    [property: RegularExpression("^[A-Z]{3}$"), Description("An ISO 4217 code; USD when omitted.")] string? Currency,
    [property: Range(typeof(decimal), "-999999999.999999", "999999999.999999")] decimal? Change,
    [property: Range(typeof(decimal), "-999999.999999", "999999.999999")] decimal? ChangePercent,
    [property: Description("When the price was set; now when omitted.")] DateTimeOffset? At,
    [property: Range(typeof(long), "1", "9007199254740991"), Description("Orders writes: one not greater than the stored seq is refused.")] long? Seq)
{
    /// <summary>The write for <paramref name="symbol"/>, or 400 (<c>invalid_symbol</c>, <c>validation_failed</c>) naming each bad field; REST and gRPC both call it.</summary>
    public QuoteInput ToInput(string? symbol)
    {
        var normalized = Symbols.Parse(symbol);
        new Validation()
            .Require(Price is > 0 and < 1_000_000_000m, "price", "is required: a positive number below 1e9")
            .Require(Currency is null || (Currency.Length == 3 && Currency.All(char.IsAsciiLetterUpper)),
                "currency", "must be an upper-case ISO 4217 code such as USD")
            .Require(Seq is null or (> 0 and <= QuoteService.MaxSeq), "seq", "must be between 1 and 2^53 - 1")
            .Require(Change is null or > -1_000_000_000m and < 1_000_000_000m, "change", "is out of range")
            .Require(ChangePercent is null or > -1_000_000m and < 1_000_000m, "changePercent", "is out of range")
            .ThrowIfInvalid();
        return new QuoteInput(normalized, Price!.Value, Currency, Change, ChangePercent, At, Seq);
    }
}
