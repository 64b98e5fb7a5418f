using Stoa.Foundation.Errors;

namespace Stoa.Quotes.Core;

/// <summary>
/// The rules an app sees: the quote it reads is <see cref="QuoteResolver"/>'s (its own over the market's); seq orders
/// writes; unknown symbols are 404s.
/// </summary>
internal sealed class QuoteService(IQuoteStore store, TimeProvider time, IQuoteArchive? archive = null)
{
    private readonly QuoteResolver _resolver = new(store, archive);

    /// <summary>Seqs are compared as Lua numbers (doubles) in the Redis engine: integers beyond 2^53 would lose precision.</summary>
    public const long MaxSeq = (1L << 53) - 1;

    public IQuoteStore Store => store;

    public QuoteResolver Resolver => _resolver;

    /// <summary>The quote the app sees, or null.</summary>
    public ValueTask<Quote?> FindAsync(Guid appId, string symbol, CancellationToken cancellationToken) =>
        _resolver.ResolveAsync(appId, symbol, cancellationToken);

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
