using System.Collections.Concurrent;

namespace Stoa.Foundation.Auth;

/// <summary>
/// Looks apps up by API key for every request, from memory for a short while: a rotated secret or a new app is
/// seen within <see cref="Freshness"/>, and a flood of unknown keys costs one store query per key per period.
/// </summary>
public sealed class AppDirectory(AppStore store, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (App? App, DateTimeOffset LoadedAt)> _byKey = new(StringComparer.Ordinal);

    public async ValueTask<App?> FindAsync(string apiKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_byKey.TryGetValue(apiKey, out var cached) && now - cached.LoadedAt < Freshness)
        {
            return cached.App;
        }

        // Keys are at most a few dozen characters; anything longer is not a key and is not worth a query.
        var app = apiKey.Length is > 0 and <= 128 ? await store.FindByApiKeyAsync(apiKey, cancellationToken) : null;
        if (_byKey.Count >= MaxEntries)
        {
            _byKey.Clear();
        }

        _byKey[apiKey] = (app, now);
        return app;
    }

    /// <summary>Forgets a key at once (after a rotation on this node).</summary>
    public void Forget(string apiKey) => _byKey.TryRemove(apiKey, out _);
}
