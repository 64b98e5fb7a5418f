namespace Stoa.Quotes.Core;

/// <summary>
/// The one place the precedence rule lives: for a symbol, an app sees its own quote (pushed by its backend) over the
/// market's (written by the feed). Quotes are read from the engine; only when the engine holds neither (it lost its
/// data, or the symbol is unknown) from the archive. A read never writes anything, anywhere.
/// </summary>
internal sealed class QuoteResolver(IQuoteStore store, IQuoteArchive? archive = null)
{
    public async ValueTask<Quote?> ResolveAsync(Guid appId, string symbol, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(appId, symbol, cancellationToken) is { } own)
        {
            return own;
        }

        if (await store.GetAsync(QuoteScope.Market, symbol, cancellationToken) is { } market)
        {
            return market;
        }

        if (archive is null)
        {
            return null;
        }

        var archived = await archive.FindAsync(appId, symbol, cancellationToken);
        return Pick(archived.Own, archived.Market);
    }

    /// <summary>Whether the app's own quote hides the market's for <paramref name="symbol"/>.</summary>
    public async ValueTask<bool> IsOverriddenAsync(Guid appId, string symbol, CancellationToken cancellationToken) =>
        await store.GetAsync(appId, symbol, cancellationToken) is not null;

    private static Quote? Pick(Quote? own, Quote? market) => own ?? market;
}
