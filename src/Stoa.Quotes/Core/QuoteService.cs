using Stoa.Foundation.Errors;

namespace Stoa.Quotes.Core;

/// <summary>
/// The rules an app sees: its own quote for a symbol (pushed by its backend) overrides the market quote (written by
/// the feed); seq orders writes; unknown symbols are 404s.
/// </summary>
internal sealed class QuoteService(IQuoteStore store, TimeProvider time, IQuoteArchive? archive = null)
{
    /// <summary>Seqs are compared as Lua numbers (doubles) in the Redis engine: integers beyond 2^53 would lose precision.</summary>
    public const long MaxSeq = (1L << 53) - 1;

    public IQuoteStore Store => store;

    /// <summary>
    /// The quote the app sees, or null. When the engine has none (it lost its data, or the symbol is unknown) the
    /// archive answers, and its quote is put back into the engine for the next readers (not archived or announced again).
    /// </summary>
    public async ValueTask<Quote?> FindAsync(Guid appId, string symbol, CancellationToken cancellationToken)
    {
        var quote = await store.GetAsync(appId, symbol, cancellationToken) ?? await store.GetAsync(QuoteScope.Market, symbol, cancellationToken);
        if (quote is not null || archive is null)
        {
            return quote;
        }

        if (await archive.FindAsync(appId, symbol, cancellationToken) is not { } archived)
        {
            return null;
        }

        await store.RestoreAsync(archived.Scope, archived.Quote, cancellationToken);
        return archived.Quote;
    }

    public async ValueTask<Quote> GetAsync(Guid appId, string symbol, CancellationToken cancellationToken) =>
        await FindAsync(appId, symbol, cancellationToken)
            ?? throw ApiException.NotFound(QuoteErrors.QuoteNotFound, $"No quote for '{symbol}'.");

    /// <summary>Writes the app's own quote; 409 <c>quote_superseded</c> when a newer one is stored.</summary>
    public async ValueTask<Quote> PutAsync(Guid appId, QuoteInput input, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var at = input.At ?? now;
        // Without a seq from the caller the node's clock orders writes (µs); backends with their own sequence numbers
        // (an exchange's) should send them, and not mix the two for one symbol.
        var seq = input.Seq ?? (at - DateTimeOffset.UnixEpoch).Ticks / 10;
        if (seq is < 1 or > MaxSeq)
        {
            // Only a derived seq can get here (the API checks a sent one): "at" before 1970 or after the year 2255.
            throw Validation.Failed("at", "must be between 1970 and 2255 when no seq is sent (the seq is derived from it in microseconds)");
        }

        var quote = new Quote(input.Symbol, input.Price, input.Currency ?? "USD", input.Change, input.ChangePercent, at, seq, "app");
        if (!await store.TryWriteAsync(appId, quote, cancellationToken))
        {
            throw ApiException.Conflict(QuoteErrors.QuoteSuperseded,
                $"A quote for '{input.Symbol}' with a seq of {seq} or more is already stored; this one was ignored.");
        }

        return quote;
    }

    public ValueTask<bool> DeleteAsync(Guid appId, string symbol, CancellationToken cancellationToken) =>
        store.DeleteAsync(appId, symbol, cancellationToken);
}

/// <summary>A validated write from an app's backend.</summary>
internal sealed record QuoteInput(string Symbol, decimal Price, string? Currency, decimal? Change, decimal? ChangePercent, DateTimeOffset? At, long? Seq);
