namespace Stoa.Ot;

public static partial class TextOt
{
    /// <summary>
    /// The op that undoes <paramref name="op"/> on the document it produced: inserts become deletes and deletes with
    /// text become inserts. Throws <see cref="OtException"/> (<see cref="OtErrorKind.NotInvertible"/>) when a delete
    /// lacks its text; call <see cref="MakeInvertible"/> first with the document the op applied to.
    /// </summary>
    public static TextOp Invert(TextOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var builder = new OpBuilder(op.Count);
        foreach (TextOpComponent component in op.Span)
        {
            builder.Append(component.Kind switch
            {
                TextOpComponentKind.Skip => component,
                TextOpComponentKind.Insert => TextOpComponent.Unchecked(TextOpComponentKind.Delete, component.Length, component.Text),
                _ => component.Text is null
                    ? throw new OtException(OtErrorKind.NotInvertible, "Cannot invert the text op: a delete does not carry the deleted text; call MakeInvertible with the document first.")
                    : TextOpComponent.Unchecked(TextOpComponentKind.Insert, component.Length, component.Text),
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// Fills in the text of every count-only delete from <paramref name="document"/>, the document the op applies to,
    /// so the result can be inverted. Throws <see cref="OtException"/> when the op goes past the document's end.
    /// </summary>
    public static TextOp MakeInvertible(TextOp op, string document)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(document);
        if (op.IsInvertible)
        {
            return op;
        }

        var builder = new OpBuilder(op.Count);
        int index = 0;
        int position = 0;
        foreach (TextOpComponent component in op.Span)
        {
            if (component.IsInsert)
            {
                builder.Append(component);
                continue;
            }

            int end = AdvanceInDocument(document, index, position, component, component.IsSkip ? "skip" : "delete");
            builder.Append(component.IsDelete && component.Text is null
                ? TextOpComponent.Unchecked(TextOpComponentKind.Delete, component.Length, document.Substring(index, end - index))
                : component);
            index = end;
            position += component.Length;
        }

        return builder.Build();
    }

    /// <summary>Drops the text from every delete (<c>{"d": "ab"}</c> becomes <c>{"d": 2}</c>), making the op smaller.</summary>
    public static TextOp StripInvertible(TextOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var builder = new OpBuilder(op.Count);
        foreach (TextOpComponent component in op.Span)
        {
            builder.Append(component.IsDelete
                ? TextOpComponent.Unchecked(TextOpComponentKind.Delete, component.Length, null)
                : component);
        }

        return builder.Build();
    }
}
