using System.Text;
using Stoa.Quotes.Core;
using Stoa.Quotes.Storage;

namespace Stoa.Quotes.Tests;

/// <summary>The engine's copy of a quote says who wrote it and when, and stays readable as a plain quote.</summary>
public sealed class QuoteCodecTests
{
    private static readonly Quote s_quote = new("AAPL", 228.52m, "USD", 1.25m, 0.55m, new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero), 42, "app");

    [Fact]
    public void The_stored_copy_is_the_quote_with_its_writers_trace_and_time_after_its_own_fields()
    {
        const string trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var stored = QuoteCodec.EncodeStored(s_quote, new QuoteWrite(trace, 1_796_577_182_123));

        QuoteCodec.Decode(stored).ShouldBe(s_quote, "a reader that knows nothing of the write still reads the quote");
        QuoteCodec.DecodeWrite(stored).ShouldBe(new QuoteWrite(trace, 1_796_577_182_123));
        Encoding.UTF8.GetString(stored).ShouldStartWith(Encoding.UTF8.GetString(QuoteCodec.Encode(s_quote))[..^1] + ",");
    }

    [Fact]
    public void A_write_outside_a_trace_keeps_its_time_alone()
    {
        var stored = QuoteCodec.EncodeStored(s_quote, new QuoteWrite(null, 7));
        QuoteCodec.DecodeWrite(stored).ShouldBe(new QuoteWrite(null, 7));
        Encoding.UTF8.GetString(stored).ShouldNotContain("trace");
    }

    [Fact]
    public void A_copy_written_by_an_earlier_version_has_no_write()
    {
        QuoteCodec.DecodeWrite(QuoteCodec.Encode(s_quote)).ShouldBeNull();
        QuoteCodec.DecodeWrite("not json"u8).ShouldBeNull();
    }
}
