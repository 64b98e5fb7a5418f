using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>
/// ShareDB's rule for one queued op: transform it past every op committed since its base version (then past the ops
/// before it in the same batch), one at a time, and check the result against the text it will apply to. Committed
/// ops come a page at a time, so an op on an old version never needs them all in memory at once.
/// </summary>
internal static class Rebase
{
    /// <summary>
    /// Transforms <paramref name="op"/> past <paramref name="committed"/>; stops at a resend of the submission
    /// (same user, client and seq), which it returns instead.
    /// </summary>
    public static (CommittedOp? Resent, TextOp Op) Past(PendingSubmit submit, IEnumerable<CommittedOp> committed, TextOp op)
    {
        foreach (var other in committed)
        {
            if (submit.IsResendOf(other))
            {
                return (other, op);
            }

            op = TextOt.Transform(op, other.Op, TransformSide.Left);
        }

        return (null, op);
    }

    /// <summary>Checks the transformed op against the text at <paramref name="head"/> and makes it the next version.</summary>
    public static (CommittedOp Next, string Text, int Length) Fit(PendingSubmit submit, TextOp transformed, long head, string text, int length,
        DocOptions options)
    {
        OpLimits.Check(transformed, options);
        if (transformed.InputLength > length)
        {
            throw DocErrors.Invalid($"The op reads {transformed.InputLength} code points but the document has {length} at version {head}.");
        }

        var lengthAfter = DocText.LengthAfter(length, transformed);
        if (lengthAfter > options.MaxDocumentLength)
        {
            throw DocErrors.TooLargeDoc(options.MaxDocumentLength);
        }

        string textAfter;
        try
        {
            textAfter = TextOt.Apply(text, transformed);
        }
        catch (OtException e)
        {
            throw DocErrors.Invalid(e);
        }

        return (new CommittedOp(head + 1, transformed, submit.Submission.ClientId, submit.Submission.Seq, submit.UserId), textAfter, lengthAfter);
    }
}
