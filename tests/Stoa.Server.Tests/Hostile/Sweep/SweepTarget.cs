namespace Stoa.HostileSweep;

/// <summary>
/// What the sweep attacks: a running Stoa and the credentials of two apps, so that it can send one app's ids and
/// tokens to the other. The server token is optional; without it, server-only endpoints are swept only up to their
/// 403 (their bodies are never validated).
/// </summary>
public sealed record SweepTarget(
    Uri BaseAddress,
    string ApiKey,
    string UserToken,
    string OtherApiKey,
    string OtherUserToken,
    string? ServerToken = null)
{
    /// <summary>Bytes past which a request body must be refused (<c>Stoa:MaxRequestBodyBytes</c> of the target).</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Requests in flight at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>A request that takes longer than this is reported as a hang.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The sweep stops generating cases past this many requests.</summary>
    public int MaxRequests { get; init; } = 3000;

    /// <summary>The seed of the contract pass (<see cref="ContractFuzz"/>); null skips the pass.</summary>
    public int? FuzzSeed { get; init; }

    /// <summary>Requests of the contract pass at most, on top of <see cref="MaxRequests"/>.</summary>
    public int MaxFuzzRequests { get; init; } = 1500;
}
