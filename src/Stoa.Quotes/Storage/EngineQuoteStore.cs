using System.Diagnostics;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Realtime;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Storage;

/// <summary>
/// Quotes in the engine. Writes are one compare-and-set on seq (<see cref="IKeyValueStore.SetIfNewerAsync"/>, a Lua
/// script on Redis) followed by a publish on the realtime hub; reads go through the near-cache, so on Redis a hot
/// symbol is answered from this process's memory and only re-read after an invalidation (CLIENT TRACKING), one load
/// per miss however many requests wait for it.
/// </summary>
/// <param name="hub">Where writes are announced; null for a store that only reads (the benchmark baseline).</param>
internal sealed class EngineQuoteStore(IEngine engine, RealtimeHub? hub, bool nearCache = true, QuotesMetrics? metrics = null,
    TimeProvider? time = null) : IQuoteStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public const string TickType = "quote";

    // The near-cache cannot hold null, and "no quote" is worth caching too (an app without overrides asks for its
    // own quote on every read before falling back to the market).
    private static readonly Entry s_absent = new(null);

    public async ValueTask<Quote?> GetAsync(Guid scope, string symbol, CancellationToken cancellationToken)
    {
        var key = QuoteKeys.Quote(scope, symbol);
        if (!nearCache)
        {
            return (await LoadAsync(key, cancellationToken)).Quote;
        }

        // A hit (nearly every read) allocates no load delegate: the lambda that captures the key lives in a method
        // of its own, since a captured variable's closure is allocated where its scope begins.
        return engine.NearCache.TryGet<Entry>(key, "", out var cached)
            ? cached.Quote
            : (await LoadThroughNearCacheAsync(key, cancellationToken)).Quote;
    }

    private ValueTask<Entry> LoadThroughNearCacheAsync(string key, CancellationToken cancellationToken) =>
        engine.NearCache.GetOrLoadAsync(key, "", ct => LoadAsync(key, ct), cancellationToken);

    /// <summary>
    /// A miss: on Redis, after an invalidation (another node wrote the quote) or for a symbol not read here yet. The
    /// span links to the write's trace, and the time since the write is how long the change took to be served here.
    /// </summary>
    private async ValueTask<Entry> LoadAsync(string key, CancellationToken cancellationToken)
    {
        using var span = metrics?.StartReload();
        var stored = await engine.GetVersionedAsync(key, cancellationToken);
        if (stored is null)
        {
            return s_absent;
        }

        if (metrics is not null && QuoteCodec.DecodeWrite(stored.Value) is { } write)
        {
            var lag = _time.GetUtcNow().ToUnixTimeMilliseconds() - write.WrittenAt;
            metrics.Reloaded(TimeSpan.FromMilliseconds(Math.Max(0, lag)));
            if (span is not null && ActivityContext.TryParse(write.Trace, null, out var writer))
            {
                span.AddLink(new ActivityLink(writer));
            }
        }

        return new Entry(QuoteCodec.Decode(stored.Value));
    }

    public async ValueTask<bool> TryWriteAsync(Guid scope, Quote quote, CancellationToken cancellationToken)
    {
        var bytes = QuoteCodec.Encode(quote);
        var stored = QuoteCodec.EncodeStored(quote, new QuoteWrite(Activity.Current?.Id, _time.GetUtcNow().ToUnixTimeMilliseconds()));
        var applied = await engine.SetIfNewerAsync(QuoteKeys.Quote(scope, quote.Symbol), quote.Seq, stored, ttl: null, cancellationToken);
        metrics?.Written(QuoteScope.IsMarket(scope), applied);
        if (!applied)
        {
            return false;
        }

        if (hub is not null)
        {
            await hub.PublishAsync(QuoteKeys.Ticks(scope), TickType, bytes, keepHistory: false, cancellationToken);
        }

        return true;
    }

    public ValueTask<bool> DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken) =>
        engine.DeleteAsync(QuoteKeys.Quote(scope, symbol), cancellationToken);

    private sealed record Entry(Quote? Quote);
}
