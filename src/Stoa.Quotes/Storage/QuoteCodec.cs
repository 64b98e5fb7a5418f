using System.Text.Json;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Storage;

/// <summary>Quotes as stored in the engine and sent on the channel: UTF-8 JSON, the same shape as the API's.</summary>
internal static class QuoteCodec
{
    public static byte[] Encode(Quote quote) => JsonSerializer.SerializeToUtf8Bytes(quote, QuotesJsonContext.Default.Quote);

    public static Quote? Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, QuotesJsonContext.Default.Quote);
        }
        catch (JsonException)
        {
            // A value this version cannot read (written by a newer one, or garbage) is treated as absent.
            return null;
        }
    }
}
