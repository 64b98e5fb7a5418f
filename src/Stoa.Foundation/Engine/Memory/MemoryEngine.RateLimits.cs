namespace Stoa.Foundation.Engine.Memory;

public sealed partial class MemoryEngine
{
    public ValueTask<RateLimitDecision> TryTakeAsync(string key, RateLimitPolicy policy, int cost, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = Now;
            var entry = Find(key);
            if (entry is null)
            {
                entry = new Entry { Tokens = policy.Capacity, RefilledAt = now, ExpiresAt = now + (long)policy.FullRefill.TotalMilliseconds };
                Store(key, entry);
            }

            var taken = BucketMath.Take(entry.Tokens, entry.RefilledAt, now, policy, cost);
            entry.Tokens = taken.Tokens;
            entry.RefilledAt = now;
            entry.ExpiresAt = now + (long)policy.FullRefill.TotalMilliseconds;
            return ValueTask.FromResult(taken.Decision);
        }
    }
}

/// <summary>The token-bucket arithmetic, shared so that both engines decide exactly alike.</summary>
public static class BucketMath
{
    public static (double Tokens, RateLimitDecision Decision) Take(double tokens, long refilledAtMs, long nowMs, RateLimitPolicy policy, int cost)
    {
        var elapsed = Math.Max(0, nowMs - refilledAtMs) / 1000.0;
        var available = Math.Min(policy.Capacity, tokens + (elapsed * policy.TokensPerSecond));
        if (available >= cost)
        {
            available -= cost;
            return (available, new RateLimitDecision(true, (long)Math.Floor(available), TimeSpan.Zero));
        }

        var wait = TimeSpan.FromSeconds((cost - available) / policy.TokensPerSecond);
        return (available, new RateLimitDecision(false, (long)Math.Floor(available), wait));
    }
}
