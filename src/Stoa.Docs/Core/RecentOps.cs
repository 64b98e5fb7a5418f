namespace Stoa.Docs.Core;

/// <summary>
/// The newest consecutive committed ops of one document, bounded by their bytes (never fewer than the newest op):
/// a submit on a recent version is transformed past them, and a socket rejoining at a recent version is sent them,
/// without reading the store. Not thread-safe: its owner guards it.
/// </summary>
internal sealed class RecentOps(long maxBytes)
{
    private readonly List<CommittedOp> _ops = [];

    public long Bytes { get; private set; }

    public int Count => _ops.Count;

    public void Clear()
    {
        _ops.Clear();
        Bytes = 0;
    }

    /// <summary>Adds the next op (its version follows the last one's); the oldest go once the window is over its bytes.</summary>
    public void Add(CommittedOp op)
    {
        if (_ops.Count > 0 && op.Version != _ops[^1].Version + 1)
        {
            Clear();
        }

        _ops.Add(op);
        Bytes += op.ApproximateBytes;
        if (Bytes > maxBytes)
        {
            // Down to three quarters, so that trimming (a copy of the list) happens once per many adds.
            var drop = 0;
            while (drop < _ops.Count - 1 && Bytes > maxBytes * 3 / 4)
            {
                Bytes -= _ops[drop].ApproximateBytes;
                drop++;
            }

            _ops.RemoveRange(0, drop);
        }
    }

    /// <summary>
    /// The ops after <paramref name="version"/> up to <paramref name="head"/> when this window holds them all (empty when
    /// <paramref name="version"/> is at or past the head), or null when some are older than the window.
    /// </summary>
    public IReadOnlyList<CommittedOp>? After(long version, long head)
    {
        if (version >= head)
        {
            return [];
        }

        if (_ops.Count == 0 || _ops[0].Version > version + 1 || _ops[^1].Version < head)
        {
            return null;
        }

        var start = (int)(version + 1 - _ops[0].Version);
        return _ops.GetRange(start, (int)(head - version));
    }
}
