namespace Stoa.Previews.Core;

/// <summary>How long answers are cached: what upstream allows, within bounds that protect both sides.</summary>
internal static class PreviewPolicy
{
    public static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);

    /// <summary>Failures are cached briefly: long enough to absorb a burst, short enough to notice a recovery.</summary>
    public static readonly TimeSpan FailureTtl = TimeSpan.FromSeconds(60);

    public const int MaxBatch = 20;

    /// <summary>
    /// Upstream's max-age clamped to [10 min, 24 h]; an upstream that says nothing gets an hour. One that forbids
    /// storing (<c>no-store</c>, <c>private</c>, <c>no-cache</c>, <c>max-age=0</c>, an Expires in the past) gets zero:
    /// the answer is shared with the callers waiting for it, then not kept.
    /// </summary>
    public static TimeSpan TtlFor(TimeSpan? upstreamMaxAge) => upstreamMaxAge switch
    {
        null => DefaultTtl,
        { } age when age <= TimeSpan.Zero => TimeSpan.Zero,
        { } age => TimeSpan.FromTicks(Math.Clamp(age.Ticks, MinTtl.Ticks, MaxTtl.Ticks)),
    };
}
