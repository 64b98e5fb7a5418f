using System.Collections.Concurrent;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Memory;

namespace Stoa.Foundation.RateLimiting;

/// <summary>Token buckets in this node's memory, for policies marked <see cref="RateLimitPolicyOptions.PerNode"/>.</summary>
public sealed class LocalRateLimitBuckets(TimeProvider time) : IRateLimitBuckets
{
    private const int MaxBuckets = 100_000;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public ValueTask<RateLimitDecision> TryTakeAsync(string key, RateLimitPolicy policy, int cost, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_buckets.Count >= MaxBuckets)
        {
            // Forgetting buckets only ever gives callers a full bucket early; memory stays bounded.
            _buckets.Clear();
        }

        var bucket = _buckets.GetOrAdd(key, _ => new Bucket { Tokens = policy.Capacity, RefilledAt = now });
        lock (bucket)
        {
            var (tokens, decision) = BucketMath.Take(bucket.Tokens, bucket.RefilledAt, now, policy, cost);
            bucket.Tokens = tokens;
            bucket.RefilledAt = now;
            return ValueTask.FromResult(decision);
        }
    }

    private sealed class Bucket
    {
        public double Tokens;
        public long RefilledAt;
    }
}
