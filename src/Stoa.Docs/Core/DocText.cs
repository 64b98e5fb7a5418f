using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>
/// A sequencer's copy of its document: the text at <see cref="Version"/> and the recent ops that led there, so that a
/// submit usually needs no read from the store. Only a cache: the store's uniqueness decides every commit.
/// Guarded by the sequencer's gate.
/// </summary>
internal sealed class DocText(long recentBytes)
{
    public bool Loaded { get; private set; }

    public long Version { get; private set; }

    public string Text { get; private set; } = "";

    /// <summary>Length of <see cref="Text"/> in code points.</summary>
    public int Length { get; private set; }

    public RecentOps Recent { get; } = new(recentBytes);

    /// <summary>What this copy costs in memory, roughly.</summary>
    public long ApproximateBytes => 256 + (Text.Length * 2L) + Recent.Bytes;

    public void Load(DocSnapshot snapshot)
    {
        Version = snapshot.Version;
        Text = snapshot.Text;
        Length = CodePoints.Count(snapshot.Text);
        Recent.Clear();
        Loaded = true;
    }

    /// <summary>Applies an op read from the store.</summary>
    public void Apply(CommittedOp op) => Append([op], TextOt.Apply(Text, op.Op), LengthAfter(Length, op.Op));

    /// <summary>Applies consecutive committed ops, given the text and length after the last of them.</summary>
    public void Append(IReadOnlyList<CommittedOp> ops, string text, int length)
    {
        foreach (var op in ops)
        {
            Recent.Add(op);
        }

        Version = ops[^1].Version;
        Text = text;
        Length = length;
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
