namespace Stoa.Foundation.RateLimiting;

/// <summary>
/// <c>Stoa:RateLimits</c>: named token-bucket policies, applied per (app, user) — or per client IP when there is no
/// user — to the endpoints that name them. Unnamed <c>/v1</c> endpoints use <c>default</c>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Stoa:RateLimits";

    public bool Enabled { get; set; } = true;

    public Dictionary<string, RateLimitPolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["default"] = new() { Capacity = 120, TokensPerSecond = 20 },
        ["writes"] = new() { Capacity = 30, TokensPerSecond = 5 },
        ["reads"] = new() { Capacity = 1000, TokensPerSecond = 500, PerNode = true },
    };
}

public sealed class RateLimitPolicyOptions
{
    /// <summary>Burst size: tokens in a full bucket.</summary>
    public int Capacity { get; set; }

    /// <summary>Sustained rate.</summary>
    public double TokensPerSecond { get; set; }

    /// <summary>
    /// Count in this node's memory instead of the shared engine: for very hot reads, where a round trip to Redis per
    /// request would cost more than the read itself. The limit then applies per node.
    /// </summary>
    public bool PerNode { get; set; }
}
