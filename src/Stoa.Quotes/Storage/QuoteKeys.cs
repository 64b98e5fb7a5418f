using System.Collections.Concurrent;
using Stoa.Foundation.Engine;

namespace Stoa.Quotes.Storage;

/// <summary>
/// Engine names: <c>{scope}:quotes:{SYMBOL}</c> for the latest quote (the prefix the Redis near-cache tracks) and
/// <c>{scope}:quotes-ticks</c> for the channel announcing writes. Key strings are memoised: the read path builds one
/// per request otherwise.
/// </summary>
internal static class QuoteKeys
{
    public const string Module = "quotes";
    private const int MaxMemoised = 100_000;
    private static readonly ConcurrentDictionary<(Guid Scope, string Symbol), string> s_keys = new();

    public static string Quote(Guid scope, string symbol)
    {
        if (s_keys.TryGetValue((scope, symbol), out var key))
        {
            return key;
        }

        key = EngineKeys.For(scope, Module, symbol);
        if (s_keys.Count < MaxMemoised)
        {
            s_keys.TryAdd((scope, symbol), key);
        }

        return key;
    }

    public static string Ticks(Guid scope) => EngineKeys.For(scope, "quotes-ticks");

    /// <summary>The lease the feed leader holds.</summary>
    public static string FeedLease(string feed) => EngineKeys.For(Core.QuoteScope.Market, "quotes-feed", feed);
}
