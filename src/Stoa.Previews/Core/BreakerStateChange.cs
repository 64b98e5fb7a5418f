namespace Stoa.Previews.Core;

/// <summary>A host's breaker changed state (raised from the request that caused it; keep handlers quick).</summary>
internal sealed record BreakerStateChange(string Host, BreakerState State);
