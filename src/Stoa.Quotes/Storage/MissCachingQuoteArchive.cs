using System.Collections.Concurrent;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Storage;

/// <summary>
/// Remembers for a few seconds that the archive has no quote for an (app, symbol), so a client asking for unknown
/// symbols (100 per <c>GET /v1/quotes?symbols=</c>) costs the store one query per symbol per <see cref="Ttl"/>, not one
/// per request. A write anywhere reaches the engine, which is read before the archive, so a miss remembered here
/// cannot hide a quote written since; a write through this node forgets the miss at once all the same.
/// </summary>
internal sealed class MissCachingQuoteArchive(IQuoteArchive inner, TimeProvider time) : IQuoteArchive
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private const int MaxMisses = 10_000;

    private readonly ConcurrentDictionary<(Guid AppId, string Symbol), DateTimeOffset> _misses = new();

    public async Task<(Guid Scope, Quote Quote)?> FindAsync(Guid appId, string symbol, CancellationToken cancellationToken)
    {
        var key = (appId, symbol);
        if (_misses.TryGetValue(key, out var missedAt) && time.GetUtcNow() - missedAt < Ttl)
        {
            return null;
        }

        var found = await inner.FindAsync(appId, symbol, cancellationToken);
        if (found is null)
        {
            if (_misses.Count >= MaxMisses)
            {
                // Entries live seconds; dropping them all keeps the bound without bookkeeping.
                _misses.Clear();
            }

            _misses[key] = time.GetUtcNow();
        }

        return found;
    }

    public async Task<bool> SaveAsync(Guid scope, Quote quote, CancellationToken cancellationToken)
    {
        var saved = await inner.SaveAsync(scope, quote, cancellationToken);
        _misses.TryRemove((scope, quote.Symbol), out _);
        return saved;
    }

    public async Task DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken)
    {
        await inner.DeleteAsync(scope, symbol, cancellationToken);
        _misses.TryRemove((scope, symbol), out _);
    }
}
