using System.Collections.Concurrent;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Memory;

namespace Stoa.Foundation.RateLimiting;

/// <summary>
/// Token buckets in this node's memory, for policies marked <see cref="RateLimitPolicyOptions.PerNode"/> and for the
/// checks that run before authentication. The table is bounded: past <see cref="MaxBuckets"/> the least recently used
/// buckets are forgotten, so a client that churns through new keys evicts idle buckets, never the busy ones it is
/// being limited by (forgetting a bucket only ever hands its owner a full one early).
/// </summary>
public sealed class LocalRateLimitBuckets(TimeProvider time) : IRateLimitBuckets
{
    public const int MaxBuckets = 100_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _trimLock = new();

    public int Count => _buckets.Count;

    public ValueTask<RateLimitDecision> TryTakeAsync(string key, RateLimitPolicy policy, int cost, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryTake(key, policy, cost));

    public RateLimitDecision TryTake(string key, RateLimitPolicy policy, int cost)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = _buckets.GetOrAdd(key, _ => new Bucket { Tokens = policy.Capacity, RefilledAt = now });
            if (_buckets.Count > MaxBuckets)
            {
                Trim();
            }
        }

        lock (bucket)
        {
            var (tokens, decision) = BucketMath.Take(bucket.Tokens, bucket.RefilledAt, now, policy, cost);
            bucket.Tokens = tokens;
            bucket.RefilledAt = now;
            return decision;
        }
    }

    private void Trim()
    {
        // One trimmer at a time; a tenth more than the excess goes, so that a stream of new keys does not sort the
        // table on every add.
        if (!_trimLock.TryEnter())
        {
            return;
        }

        try
        {
            var excess = _buckets.Count - MaxBuckets;
            if (excess <= 0)
            {
                return;
            }

            var victims = _buckets.Select(b => (b.Key, b.Value.RefilledAt))
                .OrderBy(b => b.RefilledAt)
                .Take(excess + (MaxBuckets / 10))
                .ToList();
            foreach (var (key, _) in victims)
            {
                _buckets.TryRemove(key, out _);
            }
        }
        finally
        {
            _trimLock.Exit();
        }
    }

    private sealed class Bucket
    {
        public double Tokens;
        public long RefilledAt;
    }
}
