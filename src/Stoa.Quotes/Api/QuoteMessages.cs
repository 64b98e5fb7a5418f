using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Stoa.Foundation.Errors;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Api;

/// <summary>
/// Quotes as proto/stoa/v1/quotes.proto writes them: decimals as invariant text (no price goes through a double),
/// times as Timestamps. Converting a request checks only what the message form adds (text that is no number, a
/// timestamp outside 0001–9999); the rules themselves are <see cref="PutQuoteRequest.ToInput"/>'s, as for REST.
/// </summary>
internal static class QuoteMessages
{
    /// <summary>Longer text is no price: refused before it is parsed.</summary>
    private const int MaxDecimalLength = 40;

    public static Grpc.V1.Quote ToMessage(Quote quote, DateTimeOffset now)
    {
        var message = new Grpc.V1.Quote
        {
            Symbol = quote.Symbol,
            Price = quote.Price.ToString(CultureInfo.InvariantCulture),
            Currency = quote.Currency,
            At = Timestamp.FromDateTimeOffset(quote.At),
            Seq = quote.Seq,
            Source = quote.Source,
            AgeMs = Math.Max(0, (long)(now - quote.At).TotalMilliseconds),
        };
        if (quote.Change is { } change)
        {
            message.Change = change.ToString(CultureInfo.InvariantCulture);
        }

        if (quote.ChangePercent is { } percent)
        {
            message.ChangePercent = percent.ToString(CultureInfo.InvariantCulture);
        }

        return message;
    }

    public static PutQuoteRequest ToRequest(Grpc.V1.PutQuoteRequest message)
    {
        var validation = new Validation();
        var price = Decimal(message.Price, "price", validation);
        var change = message.HasChange ? Decimal(message.Change, "change", validation) : null;
        var percent = message.HasChangePercent ? Decimal(message.ChangePercent, "changePercent", validation) : null;
        DateTimeOffset? at = null;
        if (message.At is { } timestamp)
        {
            // Timestamp.ToDateTimeOffset throws outside 0001-01-01..9999-12-31: the client's input, not a server fault.
            if (timestamp.Seconds is < -62_135_596_800 or > 253_402_300_799 || timestamp.Nanos is < 0 or > 999_999_999)
            {
                validation.Add("at", "must be a timestamp between the years 0001 and 9999");
            }
            else
            {
                at = timestamp.ToDateTimeOffset();
            }
        }

        validation.ThrowIfInvalid();
        return new PutQuoteRequest(price, message.Currency.Length == 0 ? null : message.Currency, change, percent, at,
            message.HasSeq ? message.Seq : null);
    }

    private static decimal? Decimal(string text, string field, Validation validation)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length <= MaxDecimalLength && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        validation.Add(field, "must be a decimal number written as text, such as \"228.52\"");
        return null;
    }
}
