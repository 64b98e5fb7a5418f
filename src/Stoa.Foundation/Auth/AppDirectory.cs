using System.Collections.Concurrent;

namespace Stoa.Foundation.Auth;

/// <summary>
/// Looks apps up by API key for every request, from memory for a short while: a rotated secret or a new app is
/// seen within <see cref="Freshness"/>, and an unknown key is remembered as unknown for as long, so repeating it costs
/// no store query. Known and unknown keys are kept apart, each table bounded: a flood of made-up keys can only push out
/// other made-up keys, never the apps in use. Lookups of keys not in memory are what the authentication middleware
/// rate-limits per client address.
/// </summary>
public sealed class AppDirectory(AppStore store, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);
    private const int MaxKnown = 10_000;
    private const int MaxUnknown = 10_000;
    private const int MaxKeyLength = 128;

    private readonly ConcurrentDictionary<string, (App App, DateTimeOffset LoadedAt)> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unknown = new(StringComparer.Ordinal);

    /// <summary>The app for a key when this node knows the answer without asking the store (null: a known unknown key).</summary>
    public bool TryGetCached(string apiKey, out App? app)
    {
        var now = time.GetUtcNow();
        if (_known.TryGetValue(apiKey, out var known) && now - known.LoadedAt < Freshness)
        {
            app = known.App;
            return true;
        }

        app = null;
        // Keys are at most a few dozen characters; anything longer is not a key and never worth a query.
        return apiKey.Length is 0 or > MaxKeyLength || (_unknown.TryGetValue(apiKey, out var refusedAt) && now - refusedAt < Freshness);
    }

    public async ValueTask<App?> FindAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (TryGetCached(apiKey, out var cached))
        {
            return cached;
        }

        var app = await store.FindByApiKeyAsync(apiKey, cancellationToken);
        var now = time.GetUtcNow();
        if (app is null)
        {
            Remember(_unknown, MaxUnknown, apiKey, now);
        }
        else
        {
            Remember(_known, MaxKnown, apiKey, (app, now));
            _unknown.TryRemove(apiKey, out _);
        }

        return app;
    }

    /// <summary>Forgets a key at once (after a rotation on this node).</summary>
    public void Forget(string apiKey)
    {
        _known.TryRemove(apiKey, out _);
        _unknown.TryRemove(apiKey, out _);
    }

    private static void Remember<T>(ConcurrentDictionary<string, T> table, int max, string key, T value)
    {
        if (table.Count >= max)
        {
            // Every entry is at most Freshness old and cheap to reload: dropping them all keeps the bound simple.
            table.Clear();
        }

        table[key] = value;
    }
}
