namespace Stoa.Ot;

public static partial class TextOt
{
    /// <summary>
    /// Moves a cursor (a code point position in the document before <paramref name="op"/>) to where it belongs after
    /// the op. For someone else's op this is ot-text-unicode's <c>transformPosition</c>: text inserted at the cursor
    /// goes after it, a cursor inside deleted text moves to the start of the deletion. For the user's own op
    /// (<paramref name="isOwnOp"/>, non-empty) the cursor jumps to the end of the op's last edit, where the user was typing, as the
    /// original ot-text type's <c>transformSelection(…, isOwnOp)</c> did.
    /// </summary>
    public static int TransformPosition(int cursor, TextOp op, bool isOwnOp = false)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (cursor < 0)
        {
            throw new OtException(OtErrorKind.InvalidArgument, $"A cursor position cannot be negative (got {cursor}).");
        }

        if (isOwnOp && !op.IsNoop)
        {
            return op.OutputLength;
        }

        // long: a hostile cursor near int.MaxValue plus inserted text must not wrap around.
        long moved = cursor;
        long position = 0;
        ReadOnlySpan<TextOpComponent> components = op.Span;
        for (int i = 0; i < components.Length && moved > position; i++)
        {
            TextOpComponent component = components[i];
            switch (component.Kind)
            {
                case TextOpComponentKind.Skip:
                    position += component.Length;
                    break;
                case TextOpComponentKind.Insert:
                    position += component.Length;
                    moved += component.Length;
                    break;
                default:
                    moved -= Math.Min(component.Length, moved - position);
                    break;
            }
        }

        return moved <= int.MaxValue
            ? (int)moved
            : throw new OtException(OtErrorKind.InvalidArgument, $"Cursor position {cursor} moves past {int.MaxValue}.");
    }

    /// <summary>
    /// Moves a selection (anchor and focus; focus may come before anchor) like <see cref="TransformPosition"/> moves
    /// each end. For the user's own (non-empty) op both ends collapse to the end of the op's last edit.
    /// </summary>
    public static (int Anchor, int Focus) TransformSelection((int Anchor, int Focus) selection, TextOp op, bool isOwnOp = false)
        => (TransformPosition(selection.Anchor, op, isOwnOp), TransformPosition(selection.Focus, op, isOwnOp));
}
