namespace Stoa.Redis.Protocol;

/// <summary>
/// Caps applied while parsing so that a malicious or corrupted stream cannot make the client allocate without bound.
/// Nothing is allocated for a bulk string or an aggregate until the bytes it needs have arrived, and these caps bound
/// what a single frame may claim.
/// </summary>
public readonly record struct RespLimits(int MaxBulkLength, int MaxAggregateLength, int MaxDepth, int MaxLineLength)
{
    /// <summary>512 MiB bulk strings (Redis's own cap), 16 Mi elements, 64 levels, 64 KiB lines.</summary>
    public static RespLimits Default { get; } = new(512 * 1024 * 1024, 16 * 1024 * 1024, 64, 64 * 1024);
}
