using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Stoa.Docs.Core;

/// <summary>
/// Each app's bytes of op log and snapshots against <see cref="DocOptions.AppStorageQuotaBytes"/>. A node reads an
/// app's total from the store at most every <see cref="RefreshInterval"/> and adds what it wrote since, so a check
/// costs no query; across nodes an app can overshoot by what the others wrote within that interval.
/// </summary>
internal sealed class StorageQuota(IDocStore store, IOptions<DocOptions> options, TimeProvider time)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Guid, Usage> _usage = new();
    private readonly long _quota = options.Value.AppStorageQuotaBytes;

    /// <summary>Refuses with 403 <c>storage_quota_exceeded</c> when the app has used its quota.</summary>
    public async Task CheckAsync(Guid appId, CancellationToken cancellationToken)
    {
        var usage = _usage.GetOrAdd(appId, static _ => new Usage());
        var now = time.GetTimestamp();
        if (usage.ReadAt == 0 || time.GetElapsedTime(usage.ReadAt, now) > RefreshInterval)
        {
            var total = await store.GetAppUsageAsync(appId, cancellationToken);
            lock (usage.Gate)
            {
                usage.Stored = total;
                usage.Since = 0;
                usage.ReadAt = now;
            }
        }

        if (usage.Total >= _quota)
        {
            throw DocErrors.QuotaExceeded(_quota);
        }
    }

    /// <summary>Bytes this node just wrote (or, negative, freed) for the app.</summary>
    public void Added(Guid appId, long bytes)
    {
        if (_usage.TryGetValue(appId, out var usage))
        {
            lock (usage.Gate)
            {
                usage.Since += bytes;
            }
        }
    }

    private sealed class Usage
    {
        public readonly Lock Gate = new();
        public long Stored;
        public long Since;
        public long ReadAt;

        public long Total
        {
            get
            {
                lock (Gate)
                {
                    return Stored + Since;
                }
            }
        }
    }
}
