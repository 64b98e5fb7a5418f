using System.Text;
using System.Text.Json;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Storage;

/// <summary>
/// Quotes as stored and sent: UTF-8 JSON, the same shape as the API's. The engine's copy also says who wrote it: the
/// writer's trace (W3C traceparent) and the time it was written, so that a node reloading it after an invalidation can
/// link its span to the write and tell how long the change took to reach it. Those two fields come after the quote's
/// own, so a reader that does not know them (an older node during an upgrade) skips them.
/// </summary>
internal static class QuoteCodec
{
    public static byte[] Encode(Quote quote) => JsonSerializer.SerializeToUtf8Bytes(quote, QuotesJsonContext.Default.Quote);

    public static byte[] EncodeStored(Quote quote, QuoteWrite write)
    {
        var json = Encode(quote);
        var extra = JsonSerializer.SerializeToUtf8Bytes(write, QuotesJsonContext.Default.QuoteWrite);
        // {"symbol":…} + {"trace":…,"writtenAt":…} → {"symbol":…,"trace":…,"writtenAt":…}
        var stored = new byte[json.Length + extra.Length - 1];
        json.AsSpan(0, json.Length - 1).CopyTo(stored);
        stored[json.Length - 1] = (byte)',';
        extra.AsSpan(1).CopyTo(stored.AsSpan(json.Length));
        return stored;
    }

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

    /// <summary>Who wrote the engine's copy, when it says (values written before this version do not).</summary>
    public static QuoteWrite? DecodeWrite(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, QuotesJsonContext.Default.QuoteWrite) is { WrittenAt: > 0 } write ? write : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The write behind a stored quote: its trace context (W3C traceparent, when it was written inside one) and when, in Unix milliseconds.</summary>
internal sealed record QuoteWrite(string? Trace, long WrittenAt);
