namespace Stoa.Quotes.Feeds;

/// <summary>
/// Seqs for feed writes: microseconds of the leader's clock, bumped past the last one used and past the stored one
/// found at takeover. A new leader therefore continues above the old one's seqs (its clock moved on by at least
/// the lease gap), and a deposed leader that still writes around an expiry is refused by the compare-and-set.
/// </summary>
internal sealed class FeedSequence(TimeProvider time)
{
    private long _last;

    public void Observe(long stored) => _last = Math.Max(_last, stored);

    public long Next()
    {
        var now = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        _last = Math.Max(_last + 1, now);
        return _last;
    }
}
