namespace Stoa.Previews.Core;

/// <summary>Per-host circuit state; the numeric values are what the breaker-state gauge reports.</summary>
internal enum BreakerState
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,
}
