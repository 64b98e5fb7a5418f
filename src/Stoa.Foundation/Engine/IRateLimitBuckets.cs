namespace Stoa.Foundation.Engine;

/// <summary>
/// Token buckets shared by every node: a bucket holds up to <see cref="RateLimitPolicy.Capacity"/> tokens and refills
/// continuously at <see cref="RateLimitPolicy.TokensPerSecond"/>. Taking is atomic: concurrent callers on any node
/// never take more tokens than the bucket holds.
/// </summary>
public interface IRateLimitBuckets
{
    ValueTask<RateLimitDecision> TryTakeAsync(string key, RateLimitPolicy policy, int cost, CancellationToken cancellationToken);
}

public sealed record RateLimitPolicy(int Capacity, double TokensPerSecond)
{
    /// <summary>How long a full refill takes; buckets idle that long are forgotten (they would be full anyway).</summary>
    public TimeSpan FullRefill => TimeSpan.FromSeconds(Math.Ceiling(Capacity / TokensPerSecond) + 1);
}

/// <param name="Allowed">Whether the tokens were taken.</param>
/// <param name="Remaining">Whole tokens left after this call.</param>
/// <param name="RetryAfter">When refused: how long until enough tokens have refilled.</param>
public readonly record struct RateLimitDecision(bool Allowed, long Remaining, TimeSpan RetryAfter);
