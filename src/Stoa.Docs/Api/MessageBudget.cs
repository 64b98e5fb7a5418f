namespace Stoa.Docs.Api;

/// <summary>
/// One socket's allowance of client messages (a token bucket: a burst, then a steady rate). Past it messages are
/// dropped, and the client hears so at most once per second: a flood costs the server neither work nor a reply each.
/// Used by the socket's reader only, one message at a time.
/// </summary>
internal sealed class MessageBudget(int burst, double perSecond, TimeProvider time)
{
    private double _tokens = burst;
    private long _refilledAt = time.GetTimestamp();
    private long _warnedAt;

    /// <summary>Takes one message's token; false when the budget is spent.</summary>
    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond));
        _refilledAt = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    /// <summary>Time until the next message is allowed.</summary>
    public TimeSpan RetryAfter => TimeSpan.FromSeconds(Math.Max(0, 1 - _tokens) / perSecond);

    /// <summary>Whether to tell the client it is over budget (at most once per second).</summary>
    public bool ShouldWarn()
    {
        var now = time.GetTimestamp();
        if (_warnedAt != 0 && time.GetElapsedTime(_warnedAt, now) < TimeSpan.FromSeconds(1))
        {
            return false;
        }

        _warnedAt = now;
        return true;
    }
}
