using Stoa.Quotes.Core;

namespace Stoa.Quotes.Storage;

/// <summary>
/// Every write reaches the archive (the store) before the engine, so a quote acknowledged to a client or written by
/// the feed survives losing the engine's data. Only a write the archive takes as newest goes on to the engine (again
/// when the engine already had it, which heals an engine that lost it): after the engine lost its data, a late write
/// older than the archived quote would otherwise become the engine's, and be served. Reads stay on the engine;
/// <see cref="QuoteService"/> falls back to the archive only when the engine has nothing.
/// </summary>
internal sealed class DurableQuoteStore(IQuoteStore engine, IQuoteArchive archive, QuotesMetrics? metrics = null) : IQuoteStore
{
    public ValueTask<Quote?> GetAsync(Guid scope, string symbol, CancellationToken cancellationToken) =>
        engine.GetAsync(scope, symbol, cancellationToken);

    public async ValueTask<bool> TryWriteAsync(Guid scope, Quote quote, CancellationToken cancellationToken)
    {
        if (!await archive.SaveAsync(scope, quote, cancellationToken))
        {
            metrics?.Written(QuoteScope.IsMarket(scope), applied: false);
            return false;
        }

        await engine.TryWriteAsync(scope, quote, cancellationToken);
        return true;
    }

    public async ValueTask<bool> DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken)
    {
        await archive.DeleteAsync(scope, symbol, cancellationToken);
        return await engine.DeleteAsync(scope, symbol, cancellationToken);
    }
}
