using Stoa.Foundation.Realtime;
using Stoa.Quotes.Core;
using Stoa.Quotes.Storage;

namespace Stoa.Quotes.Realtime;

/// <summary>
/// One stream client as the realtime hub sees it: listens to the market's ticks and its own app's, keeps those of its
/// symbols in its <see cref="LatestQuoteBuffer"/> (one per symbol and source, so a slow client only ever skips
/// intermediate ticks), and remembers a gap so that its stream sends the current quotes again.
/// </summary>
internal sealed class StreamListener(Guid appId, IReadOnlyList<string> symbols)
{
    private int _resync;

    public Guid AppId { get; } = appId;

    public IReadOnlyList<string> SymbolList { get; } = symbols;

    public HashSet<string> Symbols { get; } = new(symbols, StringComparer.Ordinal);

    public LatestQuoteBuffer Buffer { get; } = new();

    /// <summary>True once after ticks may have been lost: the stream should send the current quotes again.</summary>
    public bool TakeResync() => Interlocked.Exchange(ref _resync, 0) == 1;

    /// <summary>Starts receiving the market's ticks and the app's own; dispose the result to stop.</summary>
    public async ValueTask<IAsyncDisposable> JoinAsync(RealtimeHub hub, CancellationToken cancellationToken)
    {
        var market = await hub.SubscribeAsync(QuoteKeys.Ticks(QuoteScope.Market), new Scope(this, own: false), cancellationToken);
        try
        {
            return new Both(market, await hub.SubscribeAsync(QuoteKeys.Ticks(AppId), new Scope(this, own: true), cancellationToken));
        }
        catch
        {
            await market.DisposeAsync();
            throw;
        }
    }

    private sealed class Scope(StreamListener listener, bool own) : IRealtimeListener
    {
        public void OnMessage(RealtimeMessage message)
        {
            if (QuoteCodec.Decode(message.Data.Span) is { } quote && listener.Symbols.Contains(quote.Symbol))
            {
                listener.Buffer.Offer(quote, own);
            }
        }

        public void OnGap()
        {
            Volatile.Write(ref listener._resync, 1);
            listener.Buffer.Wake();
        }
    }

    private sealed class Both(IAsyncDisposable first, IAsyncDisposable second) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }
}
