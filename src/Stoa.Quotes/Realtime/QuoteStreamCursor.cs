using Stoa.Quotes.Core;

namespace Stoa.Quotes.Realtime;

/// <summary>
/// What one quote stream sends, whatever carries it (SSE, WebSocket or gRPC): the current quotes first (the listener
/// is subscribed before they are read, so no tick falls between the two) and again after a gap, then the ticks its
/// buffer holds, never an older seq than it already sent and never the market's quote for a symbol its app has its
/// own quote for.
/// </summary>
internal sealed class QuoteStreamCursor(StreamListener listener, IQuoteStore store, QuoteResolver resolver)
{
    private readonly Dictionary<(string Symbol, bool Own), long> _sent = [];
    private bool _started;

    /// <summary>The quotes to send next, in order; empty when <paramref name="idle"/> passed with nothing new.</summary>
    public async ValueTask<IReadOnlyList<Quote>> TakeAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        if (!_started | listener.TakeResync())
        {
            _started = true;
            await OfferCurrentAsync(cancellationToken);
        }

        var batch = await listener.Buffer.TakeAsync(idle, cancellationToken);
        var quotes = new List<Quote>(batch.Count);
        foreach (var (quote, own) in batch)
        {
            if (_sent.TryGetValue((quote.Symbol, own), out var last) && last >= quote.Seq)
            {
                continue;
            }

            if (!own && await resolver.IsOverriddenAsync(listener.AppId, quote.Symbol, cancellationToken))
            {
                continue;
            }

            quotes.Add(quote);
            _sent[(quote.Symbol, own)] = quote.Seq;
        }

        return quotes;
    }

    /// <summary>Offers the stored quotes of the listener's symbols (the market's and its app's own) to its buffer.</summary>
    private async ValueTask OfferCurrentAsync(CancellationToken cancellationToken)
    {
        foreach (var symbol in listener.SymbolList)
        {
            if (await store.GetAsync(QuoteScope.Market, symbol, cancellationToken) is { } market)
            {
                listener.Buffer.Offer(market, own: false);
            }

            if (await store.GetAsync(listener.AppId, symbol, cancellationToken) is { } own)
            {
                listener.Buffer.Offer(own, own: true);
            }
        }
    }
}
