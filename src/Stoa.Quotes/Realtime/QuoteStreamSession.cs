using Stoa.Quotes.Core;

namespace Stoa.Quotes.Realtime;

/// <summary>
/// One client's stream, whatever the transport: joins the hub, offers the current quotes first (after subscribing,
/// so no tick falls between the two), then sends what its buffer holds, never an older seq than it already sent
/// and never the market's quote for a symbol the app has its own quote for.
/// </summary>
internal sealed class QuoteStreamSession(StreamListener listener, QuoteHub hub, IQuoteStore store, TimeSpan heartbeat)
{
    private readonly Dictionary<(string Symbol, bool Own), long> _sent = [];

    public async Task RunAsync(Func<Quote, CancellationToken, ValueTask> send, Func<CancellationToken, ValueTask> idle,
        Func<CancellationToken, ValueTask> flush, CancellationToken cancellationToken)
    {
        await using var membership = await hub.JoinAsync(listener, cancellationToken);
        await hub.OfferCurrentAsync(listener, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await listener.Buffer.TakeAsync(heartbeat, cancellationToken);
            if (batch.Count == 0)
            {
                await idle(cancellationToken);
                continue;
            }

            var sent = false;
            foreach (var (quote, own) in batch)
            {
                if (_sent.TryGetValue((quote.Symbol, own), out var last) && last >= quote.Seq)
                {
                    continue;
                }

                if (!own && await store.GetAsync(listener.AppId, quote.Symbol, cancellationToken) is not null)
                {
                    continue;
                }

                await send(quote, cancellationToken);
                _sent[(quote.Symbol, own)] = quote.Seq;
                sent = true;
            }

            if (sent)
            {
                await flush(cancellationToken);
            }
        }
    }
}
