namespace Stoa.Foundation.Sql;

/// <summary>Capped exponential backoff with full jitter, so that retrying transactions do not collide again in step.</summary>
public sealed record TransactionRetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static TransactionRetryPolicy Default { get; } = new(12, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500));

    public TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
