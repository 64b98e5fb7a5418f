using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Telemetry;
using Stoa.Previews.Core;

namespace Stoa.Previews.Storage;

/// <summary>
/// Answers cached in the engine per app and URL. Concurrent requests for one URL cause one upstream fetch: on a
/// node they share one flight; across nodes the first to take a short engine lease fetches while the others wait
/// for its answer to appear (and fetch themselves only if it does not in time). A flight belongs to its callers:
/// when the last one leaves (disconnects, or its own deadline passes) before the answer is in, the fetch is cancelled
/// rather than left to run for nobody.
/// </summary>
internal sealed class EnginePreviewCache(IEngine engine, ModuleTelemetry telemetry) : IPreviewCache
{
    private static readonly TimeSpan s_leaseTtl = TimeSpan.FromSeconds(7);
    private static readonly TimeSpan s_flightDeadline = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, Flight> _inFlight = new(StringComparer.Ordinal);
    private readonly Counter<long> _lookups = telemetry.CreateCounter<long>(
        "cache.lookups", "{lookup}", "Preview cache lookups by result (hit, miss, refresh).");

    public async Task<CachedPreview> GetOrFetchAsync(Guid appId, Uri url, bool refresh,
        Func<CancellationToken, Task<(CachedPreview Answer, TimeSpan Ttl)>> fetch, CancellationToken cancellationToken)
    {
        var key = EngineKeys.For(appId, "previews", Hash(url));
        // The lookup as one span, tagged with what was decided: a cached answer, or a fill (previews.fill under it)
        // that may wait for another node's fetch instead of fetching.
        using var span = telemetry.StartActivity("lookup");
        if (!refresh && await ReadAsync(key, cancellationToken) is { } cached)
        {
            _lookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));
            span?.SetTag("stoa.previews.cache", "hit");
            return cached;
        }

        _lookups.Add(1, new KeyValuePair<string, object?>("result", refresh ? "refresh" : "miss"));
        span?.SetTag("stoa.previews.cache", refresh ? "refresh" : "miss");
        while (true)
        {
            var flight = _inFlight.GetOrAdd(key, _ => new Flight());
            if (!flight.TryJoin())
            {
                // Abandoned by its last caller a moment ago (and being cancelled): start a fresh one.
                _inFlight.TryRemove(new KeyValuePair<string, Flight>(key, flight));
                continue;
            }

            try
            {
                var task = flight.Start(token => Task.Run(() => FetchOnceAsync(key, flight, refresh, fetch, token), CancellationToken.None));
                return await task.WaitAsync(cancellationToken);
            }
            finally
            {
                if (flight.Leave())
                {
                    _inFlight.TryRemove(new KeyValuePair<string, Flight>(key, flight));
                }
            }
        }
    }

    private async Task<CachedPreview> FetchOnceAsync(string key, Flight flight, bool refresh,
        Func<CancellationToken, Task<(CachedPreview Answer, TimeSpan Ttl)>> fetch, CancellationToken ct)
    {
        // The flight's one fill (its first caller's trace); the decision is what a trace viewer most wants to see here.
        using var span = telemetry.StartActivity("fill");
        try
        {
            // A caller whose cache read missed just before another fetch stored its answer may get here after that
            // fetch left _inFlight: read once more rather than fetch the page a second time.
            if (!refresh && await ReadAsync(key, ct) is { } stored)
            {
                span?.SetTag("stoa.previews.decision", "cached_meanwhile");
                return stored;
            }

            var lease = await engine.TryAcquireAsync(key + ":fetching", s_leaseTtl, ct);
            span?.SetTag("stoa.previews.lease", lease is not null);
            if (lease is null && !refresh)
            {
                // Another node is fetching this URL: wait for its answer rather than hitting the site twice.
                var waitUntil = DateTime.UtcNow + s_leaseTtl;
                while (DateTime.UtcNow < waitUntil)
                {
                    await Task.Delay(100, ct);
                    if (await ReadAsync(key, ct) is { } theirs)
                    {
                        span?.SetTag("stoa.previews.decision", "other_node_fetched");
                        return theirs;
                    }
                }
            }

            span?.SetTag("stoa.previews.decision", lease is null && !refresh ? "fetched_after_waiting" : "fetched");
            try
            {
                var (answer, ttl) = await fetch(ct);
                if (ttl > TimeSpan.Zero)
                {
                    await engine.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(answer, PreviewCacheJsonContext.Default.CachedPreview), ttl, ct);
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
            _inFlight.TryRemove(new KeyValuePair<string, Flight>(key, flight));
        }
    }

    /// <summary>
    /// One upstream fetch and the callers waiting for it. The fetch runs on the flight's own token (not the first
    /// caller's), which is cancelled when the last caller leaves before it is done, or after 15 s.
    /// </summary>
    private sealed class Flight
    {
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _cancel = new(s_flightDeadline);
        private Task<CachedPreview>? _task;
        private int _waiters;
        private bool _abandoned;

        public bool TryJoin()
        {
            lock (_gate)
            {
                if (_abandoned)
                {
                    return false;
                }

                _waiters++;
                return true;
            }
        }

        public Task<CachedPreview> Start(Func<CancellationToken, Task<CachedPreview>> run)
        {
            lock (_gate)
            {
                return _task ??= run(_cancel.Token);
            }
        }

        /// <summary>True when this was the last caller and the fetch was cancelled for want of anyone to answer.</summary>
        public bool Leave()
        {
            lock (_gate)
            {
                if (--_waiters > 0 || _task is null || _task.IsCompleted)
                {
                    return false;
                }

                _abandoned = true;
                _cancel.Cancel();
                return true;
            }
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
            return JsonSerializer.Deserialize(bytes, PreviewCacheJsonContext.Default.CachedPreview);
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
