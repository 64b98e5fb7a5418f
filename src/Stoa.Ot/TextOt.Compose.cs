namespace Stoa.Ot;

public static partial class TextOt
{
    /// <summary>
    /// Composes two consecutive ops into one: <c>Apply(d, Compose(a, b)) == Apply(Apply(d, a), b)</c>.
    /// Text inserted by <paramref name="first"/> and deleted by <paramref name="second"/> cancels out.
    /// </summary>
    public static TextOp Compose(TextOp first, TextOp second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.IsNoop)
        {
            return second;
        }

        if (second.IsNoop)
        {
            return first;
        }

        var builder = new OpBuilder(first.Count + second.Count);
        var cursor = new OpCursor(first);
        foreach (TextOpComponent next in second.Span)
        {
            switch (next.Kind)
            {
                case TextOpComponentKind.Skip:
                {
                    int length = next.Length;
                    while (length > 0)
                    {
                        TextOpComponent chunk = cursor.Take(length, TextOpComponentKind.Delete);
                        builder.Append(chunk);
                        if (!chunk.IsDelete)
                        {
                            length -= chunk.Length;
                        }
                    }

                    break;
                }

                case TextOpComponentKind.Insert:
                    builder.Append(next);
                    break;

                default:
                    ComposeDelete(ref cursor, builder, next);
                    break;
            }
        }

        while (cursor.PeekKind != TextOpComponentKind.None)
        {
            builder.Append(cursor.TakeAll());
        }

        return builder.Build();
    }

    private static void ComposeDelete(ref OpCursor cursor, OpBuilder builder, TextOpComponent delete)
    {
        string? text = delete.Text;
        int offset = 0;
        int charOffset = 0;
        while (offset < delete.Length)
        {
            TextOpComponent chunk = cursor.Take(delete.Length - offset, TextOpComponentKind.Delete);
            switch (chunk.Kind)
            {
                case TextOpComponentKind.Skip:
                    // Deleting text the first op kept: the piece of our delete that covers it.
                    if (text is null)
                    {
                        builder.Append(TextOpComponent.Unchecked(TextOpComponentKind.Delete, chunk.Length, null));
                    }
                    else
                    {
                        int end = CodePoints.Advance(text, charOffset, chunk.Length);
                        builder.Append(TextOpComponent.Unchecked(TextOpComponentKind.Delete, chunk.Length, text.Substring(charOffset, end - charOffset)));
                        charOffset = end;
                    }

                    offset += chunk.Length;
                    break;

                case TextOpComponentKind.Insert:
                    // Deleting text the first op inserted: both vanish.
                    if (text is not null)
                    {
                        charOffset = CodePoints.Advance(text, charOffset, chunk.Length);
                    }

                    offset += chunk.Length;
                    break;

                default:
                    builder.Append(chunk);
                    break;
            }
        }
    }
}
