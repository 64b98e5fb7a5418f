using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>
/// This node's copy of one document: its text at <see cref="Version"/> and the ops that led there, so that a submit
/// usually needs no read from the store. It is only a cache: a commit is checked by the store's uniqueness, and a
/// conflict makes the submit catch up from the store. Guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class DocState(Guid appId, Guid docId)
{
    private const int RecentCapacity = 1_024;
    private readonly List<CommittedOp> _recent = [];

    public Guid AppId { get; } = appId;

    public Guid DocId { get; } = docId;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Submits waiting to be committed in the next batch.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<PendingSubmit> Pending { get; } = new();

    public bool Loaded { get; private set; }

    public long Version { get; private set; }

    public string Text { get; private set; } = "";

    /// <summary>Length of <see cref="Text"/> in code points.</summary>
    public int Length { get; private set; }

    public long LastUsed;

    public void Load(DocSnapshot snapshot)
    {
        Version = snapshot.Version;
        Text = snapshot.Text;
        Length = CodePoints.Count(snapshot.Text);
        _recent.Clear();
        Loaded = true;
    }

    public void Unload() => Loaded = false;

    /// <summary>Applies the next committed op; the caller has checked that it fits (or it came from the store).</summary>
    public void Append(CommittedOp op, string text, int length)
    {
        Version = op.Version;
        Text = text;
        Length = length;
        _recent.Add(op);
        if (_recent.Count > RecentCapacity)
        {
            _recent.RemoveRange(0, _recent.Count - RecentCapacity / 2);
        }
    }

    /// <summary>Applies consecutive committed ops, given the text and length after the last of them.</summary>
    public void AppendBatch(IReadOnlyList<CommittedOp> ops, string text, int length)
    {
        _recent.AddRange(ops);
        if (_recent.Count > RecentCapacity)
        {
            _recent.RemoveRange(0, _recent.Count - RecentCapacity / 2);
        }

        Version = ops[^1].Version;
        Text = text;
        Length = length;
    }

    /// <summary>The ops after <paramref name="version"/> up to <see cref="Version"/> when this node still holds them all.</summary>
    public IReadOnlyList<CommittedOp>? OpsAfter(long version)
    {
        if (version >= Version)
        {
            return [];
        }

        if (_recent.Count == 0 || _recent[0].Version > version + 1)
        {
            return null;
        }

        var start = (int)(version + 1 - _recent[0].Version);
        return _recent.GetRange(start, _recent.Count - start);
    }

    /// <summary>Length after applying an op that fits: deletes shrink it, inserts grow it.</summary>
    public static int LengthAfter(int length, TextOp op)
    {
        foreach (var component in op.Components)
        {
            if (component.IsInsert)
            {
                length += component.Length;
            }
            else if (component.IsDelete)
            {
                length -= component.Length;
            }
        }

        return length;
    }
}
