using Stoa.Quotes.Core;
using Stoa.Quotes.Realtime;

namespace Stoa.Quotes.Tests;

public sealed class LatestQuoteBufferTests
{
    private static Quote Tick(string symbol, long seq) => new(symbol, 100m + seq, "USD", null, null, DateTimeOffset.UtcNow, seq, "test");

    [Fact]
    public async Task Keeps_only_the_latest_tick_per_symbol_and_source()
    {
        var buffer = new LatestQuoteBuffer();
        for (var seq = 1; seq <= 10_000; seq++)
        {
            buffer.Offer(Tick("AAPL", seq), own: false);
            buffer.Offer(Tick("MSFT", seq), own: false);
        }

        buffer.Offer(Tick("AAPL", 3), own: true);
        buffer.Offer(Tick("AAPL", 5), own: false);

        var batch = await buffer.TakeAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        batch.Count.ShouldBe(3);
        batch.Single(b => b.Quote.Symbol == "AAPL" && !b.Own).Quote.Seq.ShouldBe(10_000, "an older tick offered late is dropped");
        batch.Single(b => b.Quote.Symbol == "MSFT").Quote.Seq.ShouldBe(10_000);
        batch.Single(b => b.Own).Quote.Seq.ShouldBe(3);
        buffer.Coalesced.ShouldBe(2 * 9_999);
    }

    [Fact]
    public async Task Waits_for_an_offer_and_reports_idle_periods_as_empty()
    {
        var buffer = new LatestQuoteBuffer();
        var ct = TestContext.Current.CancellationToken;
        (await buffer.TakeAsync(TimeSpan.FromMilliseconds(50), ct)).ShouldBeEmpty();
        var waiting = buffer.TakeAsync(TimeSpan.FromSeconds(30), ct).AsTask();
        await Task.Delay(50, ct);
        waiting.IsCompleted.ShouldBeFalse();
        buffer.Offer(Tick("AAPL", 1), own: false);
        (await waiting).Single().Quote.Seq.ShouldBe(1);
        (await buffer.TakeAsync(TimeSpan.FromMilliseconds(50), ct)).ShouldBeEmpty("taken ticks are gone");
    }
}
