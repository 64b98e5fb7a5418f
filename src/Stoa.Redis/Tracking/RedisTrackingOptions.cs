namespace Stoa.Redis;

/// <summary>What a <see cref="RedisTracking"/> connection asks the server to track.</summary>
public sealed class RedisTrackingOptions
{
    public RedisTrackingMode Mode { get; set; } = RedisTrackingMode.Default;

    /// <summary>Prefixes for <see cref="RedisTrackingMode.Broadcast"/>; empty means every key.</summary>
    public IReadOnlyList<string> Prefixes { get; set; } = [];
}
