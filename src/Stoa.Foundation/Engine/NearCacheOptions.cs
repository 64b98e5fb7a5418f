namespace Stoa.Foundation.Engine;

/// <summary>Bounds on the near-cache's memory: entries live at most <see cref="Ttl"/>, and at most <see cref="MaxEntries"/> are kept.</summary>
public sealed record NearCacheOptions
{
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxEntries { get; init; } = 100_000;
}
