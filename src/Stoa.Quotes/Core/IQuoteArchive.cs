namespace Stoa.Quotes.Core;

/// <summary>
/// The durable copy of the latest quotes, in the store. The engine can lose its data (a Redis restart); an
/// acknowledged quote must not be lost with it, so every write lands here first and reads that find nothing in the
/// engine look here before answering 404.
/// </summary>
internal interface IQuoteArchive
{
    /// <summary>Saves the quote if its seq is greater than the archived one's; false when it is not newer.</summary>
    Task<bool> SaveAsync(Guid scope, Quote quote, CancellationToken cancellationToken);

    /// <summary>The app's own archived quote for the symbol and the market's (either may be null).</summary>
    Task<ArchivedQuotes> FindAsync(Guid appId, string symbol, CancellationToken cancellationToken);

    Task DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken);
}

internal sealed record ArchivedQuotes(Quote? Own, Quote? Market)
{
    public static readonly ArchivedQuotes None = new(null, null);
}
