using System.Diagnostics.CodeAnalysis;

namespace Stoa.Foundation.Engine;

/// <summary>
/// Process-memory copies of values derived from engine keys, kept coherent across nodes by the engine: when a key
/// changes on any node (a write, a delete, an expiry), every node drops what it cached for that key.
/// <para>Guarantees: a read never returns a value cached, or loaded, before the latest invalidation it has received;
/// a value whose key was invalidated while it was being loaded is returned to that caller but not cached; on any loss
/// of the invalidation channel (disconnect) the whole cache is flushed, and nothing is cached again until
/// invalidations flow again; concurrent misses for one entry share one load, except that a miss after an
/// invalidation never joins a load that began before it. Entries also expire after a TTL and the cache holds a
/// bounded number of entries.</para>
/// </summary>
public interface INearCache
{
    /// <summary>
    /// The cached value for (<paramref name="key"/>, <paramref name="variant"/>) or the result of
    /// <paramref name="load"/>, which must read engine state of <paramref name="key"/> only. Several variants
    /// (pages of one list) can hang off one key; they are all dropped when the key changes.
    /// </summary>
    ValueTask<T> GetOrLoadAsync<T>(string key, string variant, Func<CancellationToken, ValueTask<T>> load, CancellationToken cancellationToken);

    /// <summary>
    /// The cached value for (<paramref name="key"/>, <paramref name="variant"/>) if there is one, without loading: a hit
    /// on the hot read paths then costs no load delegate. Same guarantees as <see cref="GetOrLoadAsync"/>.
    /// </summary>
    bool TryGet<T>(string key, string variant, [MaybeNullWhen(false)] out T value);

    /// <summary>Raised for each invalidated key, or with null when everything was flushed, on the thread that applies
    /// the invalidation (the writer's on the memory engine, the connection's socket reader on Redis): handlers must be
    /// quick and must not wait for the engine.</summary>
    event Action<string?>? Invalidated;

    /// <summary>Entries currently cached (for metrics).</summary>
    int Count { get; }
}
