using System.Collections.Concurrent;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Storage;

/// <summary>
/// Remembers for a few seconds what the archive answered for an (app, symbol), found or not, so that reads the engine
/// cannot answer (an unknown symbol: 100 per <c>GET /v1/quotes?symbols=</c>; every symbol after Redis lost its data)
/// cost the store one query per symbol per <see cref="Ttl"/>, not one per request, and never a write. A write anywhere
/// reaches the engine, which is read before the archive, so an answer remembered here cannot hide a quote written
/// since; a write through this node forgets the answer at once all the same.
/// </summary>
internal sealed class CachingQuoteArchive(IQuoteArchive inner, TimeProvider time) : IQuoteArchive
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(Guid AppId, string Symbol), (ArchivedQuotes Found, DateTimeOffset At)> _answers = new();

    public async Task<ArchivedQuotes> FindAsync(Guid appId, string symbol, CancellationToken cancellationToken)
    {
        var key = (appId, symbol);
        if (_answers.TryGetValue(key, out var cached) && time.GetUtcNow() - cached.At < Ttl)
        {
            return cached.Found;
        }

        var found = await inner.FindAsync(appId, symbol, cancellationToken);
        if (_answers.Count >= MaxEntries)
        {
            // Entries live seconds; dropping them all keeps the bound without bookkeeping.
            _answers.Clear();
        }

        _answers[key] = (found, time.GetUtcNow());
        return found;
    }

    public async Task<bool> SaveAsync(Guid scope, Quote quote, CancellationToken cancellationToken)
    {
        var saved = await inner.SaveAsync(scope, quote, cancellationToken);
        Forget(scope, quote.Symbol);
        return saved;
    }

    public async Task DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken)
    {
        await inner.DeleteAsync(scope, symbol, cancellationToken);
        Forget(scope, symbol);
    }

    /// <summary>A market write changes what every app sees for the symbol; an app's write, what that app sees.</summary>
    private void Forget(Guid scope, string symbol)
    {
        if (!QuoteScope.IsMarket(scope))
        {
            _answers.TryRemove((scope, symbol), out _);
            return;
        }

        foreach (var key in _answers.Keys.Where(k => k.Symbol == symbol))
        {
            _answers.TryRemove(key, out _);
        }
    }
}
