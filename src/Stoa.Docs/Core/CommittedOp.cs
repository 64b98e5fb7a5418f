using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>An op as committed: it turns version <c>Version - 1</c> of the document into version <see cref="Version"/>.</summary>
internal sealed record CommittedOp(long Version, TextOp Op, string ClientId, long Seq, string? UserId)
{
    /// <summary>What holding this op costs in memory, roughly: its text (UTF-16) and its objects.</summary>
    public long ApproximateBytes { get; } = 96 + (Op.Count * 32L) + TextBytes(Op);

    private static long TextBytes(TextOp op)
    {
        long bytes = 0;
        foreach (var component in op.Components)
        {
            bytes += (component.Text?.Length ?? 0) * 2L;
        }

        return bytes;
    }
}

/// <summary>The text of a document at a version.</summary>
internal sealed record DocSnapshot(long Version, string Text);

/// <summary>The result of a submit: the version the op was committed at, and whether it had been committed before.</summary>
internal readonly record struct SubmitResult(long Version, bool Duplicate);

/// <summary>An op a client sends: made on <paramref name="BaseVersion"/>, numbered <paramref name="Seq"/> by its client.</summary>
internal sealed record OpSubmission(long BaseVersion, TextOp Op, string ClientId, long Seq);
