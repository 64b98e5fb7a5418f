using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stoa.Foundation.Engine;
using Stoa.Previews.Api;
using Stoa.Previews.Core;

namespace Stoa.Previews.Storage;

/// <summary>
/// Answers cached in the engine per app and URL. Concurrent requests for one URL cause one upstream fetch: on a
/// node they share one task; across nodes the first to take a short engine lease fetches while the others wait
/// for its answer to appear (and fetch themselves only if it does not in time).
/// </summary>
internal sealed class EnginePreviewCache(IEngine engine, IMeterFactory meters) : IPreviewCache
{
    private static readonly TimeSpan s_leaseTtl = TimeSpan.FromSeconds(7);
    private readonly ConcurrentDictionary<string, Task<CachedPreview>> _inFlight = new(StringComparer.Ordinal);
    private readonly Counter<long> _lookups = meters.Create("Stoa.Previews").CreateCounter<long>(
        "stoa.previews.cache.lookups", "{lookup}", "Preview cache lookups by result (hit, miss, refresh).");

    public async Task<CachedPreview> GetOrFetchAsync(Guid appId, Uri url, bool refresh,
        Func<CancellationToken, Task<(CachedPreview Answer, TimeSpan Ttl)>> fetch, CancellationToken cancellationToken)
    {
        var key = EngineKeys.For(appId, "previews", Hash(url));
        if (!refresh && await ReadAsync(key, cancellationToken) is { } cached)
        {
            _lookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));
            return cached;
        }

        _lookups.Add(1, new KeyValuePair<string, object?>("result", refresh ? "refresh" : "miss"));
        var shared = _inFlight.GetOrAdd(key, k => FetchOnceAsync(k, refresh, fetch));
        try
        {
            return await shared.WaitAsync(cancellationToken);
        }
        finally
        {
            if (shared.IsCompleted)
            {
                _inFlight.TryRemove(new KeyValuePair<string, Task<CachedPreview>>(key, shared));
            }
        }
    }

    private async Task<CachedPreview> FetchOnceAsync(string key, bool refresh, Func<CancellationToken, Task<(CachedPreview Answer, TimeSpan Ttl)>> fetch)
    {
        // Not tied to the first caller's token: other callers on this node may be waiting for the same answer.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var ct = deadline.Token;
        try
        {
            // A caller whose cache read missed just before another fetch stored its answer may get here after that
            // fetch left _inFlight: read once more rather than fetch the page a second time.
            if (!refresh && await ReadAsync(key, ct) is { } stored)
            {
                return stored;
            }

            var lease = await engine.TryAcquireAsync(key + ":fetching", s_leaseTtl, ct);
            if (lease is null && !refresh)
            {
                // Another node is fetching this URL: wait for its answer rather than hitting the site twice.
                var waitUntil = DateTime.UtcNow + s_leaseTtl;
                while (DateTime.UtcNow < waitUntil)
                {
                    await Task.Delay(100, ct);
                    if (await ReadAsync(key, ct) is { } theirs)
                    {
                        return theirs;
                    }
                }
            }

            try
            {
                var (answer, ttl) = await fetch(ct);
                if (ttl > TimeSpan.Zero)
                {
                    await engine.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(answer, PreviewsJsonContext.Default.CachedPreview), ttl, ct);
                }

                return answer;
            }
            finally
            {
                if (lease is not null)
                {
                    await engine.ReleaseAsync(lease, CancellationToken.None);
                }
            }
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// Popular URLs are answered from this node's memory: the near-cache keeps the decoded answer until the engine
    /// reports the key changed (a refresh on any node, expiry), so a hit costs no engine round trip and no parsing.
    /// </summary>
    private ValueTask<CachedPreview?> ReadAsync(string key, CancellationToken cancellationToken) =>
        engine.NearCache.TryGet(key, "", out CachedPreview? cached)
            ? ValueTask.FromResult<CachedPreview?>(cached)
            : LoadThroughNearCacheAsync(key, cancellationToken);

    // Apart from ReadAsync so that a hit allocates no closure (a captured parameter's closure is made on entry).
    private ValueTask<CachedPreview?> LoadThroughNearCacheAsync(string key, CancellationToken cancellationToken) =>
        engine.NearCache.GetOrLoadAsync(key, "", ct => ReadFromEngineAsync(key, ct), cancellationToken);

    private async ValueTask<CachedPreview?> ReadFromEngineAsync(string key, CancellationToken cancellationToken)
    {
        var bytes = await engine.GetAsync(key, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, PreviewsJsonContext.Default.CachedPreview);
        }
        catch (JsonException)
        {
            // Written by an incompatible version: treat as a miss and overwrite.
            return null;
        }
    }

    private static string Hash(Uri url)
    {
        var canonical = url.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
