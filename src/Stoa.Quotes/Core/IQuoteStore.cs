namespace Stoa.Quotes.Core;

/// <summary>
/// Where quotes live, per scope (<see cref="QuoteScope"/>): the latest quote of each symbol, ordered by seq. A quote
/// written is announced on the scope's realtime topic (<c>QuoteKeys.Ticks</c>). Implemented over the engine
/// (<c>Storage/EngineQuoteStore</c>).
/// </summary>
internal interface IQuoteStore
{
    /// <summary>The latest quote, from this node's memory when possible; null when none is stored.</summary>
    ValueTask<Quote?> GetAsync(Guid scope, string symbol, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the quote if its seq is greater than the stored one's (compare-and-set in the engine) and then
    /// announces it to every node's subscribers; false when a quote with the same or a greater seq is stored.
    /// </summary>
    ValueTask<bool> TryWriteAsync(Guid scope, Quote quote, CancellationToken cancellationToken);

    /// <summary>Removes the scope's quote for the symbol; true if there was one.</summary>
    ValueTask<bool> DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken);

}
