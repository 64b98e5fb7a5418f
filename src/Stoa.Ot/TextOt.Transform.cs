namespace Stoa.Ot;

public static partial class TextOt
{
    /// <summary>
    /// Transforms <paramref name="op"/> so that it applies after <paramref name="other"/>, both having been made on
    /// the same document. With one side <see cref="TransformSide.Left"/> and the other <see cref="TransformSide.Right"/>,
    /// <c>Apply(Apply(d, a), Transform(b, a, Left)) == Apply(Apply(d, b), Transform(a, b, Right))</c>.
    /// </summary>
    /// <remarks>
    /// Inserts are never split; deletes keep their text, so invertible ops stay invertible. A delete of text the other
    /// op already deleted disappears. Transforming against a composed history is not the same as transforming against
    /// each op in turn (see ot-text-unicode's NOTES.md): transform against each op.
    /// </remarks>
    public static TextOp Transform(TextOp op, TextOp other, TransformSide side)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(other);
        if (side is not TransformSide.Left and not TransformSide.Right)
        {
            throw new OtException(OtErrorKind.InvalidArgument, $"The transform side must be Left or Right (got {(int)side}).");
        }

        if (other.IsNoop)
        {
            return op;
        }

        var builder = new OpBuilder(op.Count + other.Count);
        var cursor = new OpCursor(op);
        foreach (TextOpComponent theirs in other.Span)
        {
            switch (theirs.Kind)
            {
                case TextOpComponentKind.Skip:
                {
                    int length = theirs.Length;
                    while (length > 0)
                    {
                        TextOpComponent mine = cursor.Take(length, TextOpComponentKind.Insert);
                        builder.Append(mine);
                        if (!mine.IsInsert)
                        {
                            length -= mine.Length;
                        }
                    }

                    break;
                }

                case TextOpComponentKind.Insert:
                    if (side == TransformSide.Left && cursor.PeekKind == TextOpComponentKind.Insert)
                    {
                        builder.Append(cursor.TakeAll());
                    }

                    builder.AppendSkip(theirs.Length);
                    break;

                default:
                {
                    int length = theirs.Length;
                    while (length > 0)
                    {
                        TextOpComponent mine = cursor.Take(length, TextOpComponentKind.Insert);
                        if (mine.IsInsert)
                        {
                            builder.Append(mine);
                        }
                        else
                        {
                            // Skipped text is gone now; deleted text was deleted by both.
                            length -= mine.Length;
                        }
                    }

                    break;
                }
            }
        }

        while (cursor.PeekKind != TextOpComponentKind.None)
        {
            builder.Append(cursor.TakeAll());
        }

        return builder.Build();
    }
}
