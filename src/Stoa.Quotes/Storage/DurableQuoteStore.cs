using Stoa.Quotes.Core;

namespace Stoa.Quotes.Storage;

/// <summary>
/// Every write reaches the archive (the store) before the engine, so a quote acknowledged to a client or written by
/// the feed survives losing the engine's data. Reads stay on the engine; <see cref="QuoteService"/> falls back to
/// the archive only when the engine has nothing, and puts what it finds back.
/// </summary>
internal sealed class DurableQuoteStore(IQuoteStore engine, IQuoteArchive archive) : IQuoteStore
{
    public event Action? SubscriptionsRestored
    {
        add => engine.SubscriptionsRestored += value;
        remove => engine.SubscriptionsRestored -= value;
    }

    public ValueTask<Quote?> GetAsync(Guid scope, string symbol, CancellationToken cancellationToken) =>
        engine.GetAsync(scope, symbol, cancellationToken);

    public async ValueTask<bool> TryWriteAsync(Guid scope, Quote quote, CancellationToken cancellationToken)
    {
        var newer = await archive.SaveAsync(scope, quote, cancellationToken);
        // Written to the engine even when the archive already had it: that heals an engine that lost its data.
        var applied = await engine.TryWriteAsync(scope, quote, cancellationToken);
        return newer || applied;
    }

    public async ValueTask<bool> DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken)
    {
        await archive.DeleteAsync(scope, symbol, cancellationToken);
        return await engine.DeleteAsync(scope, symbol, cancellationToken);
    }

    public ValueTask<IAsyncDisposable> SubscribeAsync(Guid scope, Func<Quote, ValueTask> onQuote, CancellationToken cancellationToken) =>
        engine.SubscribeAsync(scope, onQuote, cancellationToken);
}
