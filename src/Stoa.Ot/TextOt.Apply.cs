using System.Buffers;

namespace Stoa.Ot;

public static partial class TextOt
{
    /// <summary>
    /// Applies <paramref name="op"/> to <paramref name="document"/>, in time linear in the document and op. Throws
    /// <see cref="OtException"/> (<see cref="OtErrorKind.DoesNotFitDocument"/>) when the op skips or deletes past the
    /// end, or when a delete's text differs from the document.
    /// </summary>
    /// <remarks>
    /// Stricter than the reference, which silently clips a delete past the end and never compares delete text: a
    /// server must not store an op whose invertible form lies about what it removed.
    /// </remarks>
    public static string Apply(string document, TextOp op)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(op);
        if (op.IsNoop)
        {
            return document;
        }

        // First pass: find where each skip and delete ends in the document (and check the op fits), so the result can
        // be allocated at its exact size and filled with block copies: one allocation, one copy of the document.
        ReadOnlySpan<TextOpComponent> components = op.Span;
        int[] ends = ArrayPool<int>.Shared.Rent(components.Length);
        try
        {
            int index = 0;
            int position = 0;
            long length = document.Length;
            for (int i = 0; i < components.Length; i++)
            {
                TextOpComponent component = components[i];
                if (component.IsInsert)
                {
                    length += component.Text!.Length;
                    continue;
                }

                int end = AdvanceInDocument(document, index, position, component, component.IsSkip ? "skip" : "delete");
                if (component.IsDelete)
                {
                    CheckDeletedText(document, index, end, position, component);
                    length -= end - index;
                }

                ends[i] = end;
                index = end;
                position += component.Length;
            }

            if (length > Array.MaxLength)
            {
                throw OtException.DoesNotFit("the resulting document would be too large.");
            }

            return string.Create((int)length, (document, op, ends), static (result, state) =>
            {
                (string document, TextOp op, int[] ends) = state;
                ReadOnlySpan<TextOpComponent> components = op.Span;
                int from = 0;
                for (int i = 0; i < components.Length; i++)
                {
                    TextOpComponent component = components[i];
                    switch (component.Kind)
                    {
                        case TextOpComponentKind.Skip:
                            document.AsSpan(from, ends[i] - from).CopyTo(result);
                            result = result.Slice(ends[i] - from);
                            from = ends[i];
                            break;
                        case TextOpComponentKind.Insert:
                            component.Text.AsSpan().CopyTo(result);
                            result = result.Slice(component.Text!.Length);
                            break;
                        default:
                            from = ends[i];
                            break;
                    }
                }

                document.AsSpan(from).CopyTo(result);
            });
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ends);
        }
    }

    /// <summary>
    /// Checks that <paramref name="op"/> applies to <paramref name="document"/> (throws like <see cref="Apply"/>)
    /// without building the result.
    /// </summary>
    public static void Validate(string document, TextOp op)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(op);
        int index = 0;
        int position = 0;
        foreach (TextOpComponent component in op.Span)
        {
            if (component.IsInsert)
            {
                continue;
            }

            int end = AdvanceInDocument(document, index, position, component, component.IsSkip ? "skip" : "delete");
            if (component.IsDelete)
            {
                CheckDeletedText(document, index, end, position, component);
            }

            index = end;
            position += component.Length;
        }
    }

    private static int AdvanceInDocument(string document, int index, int position, TextOpComponent component, string what)
    {
        int end = CodePoints.Advance(document, index, component.Length);
        if (end < 0)
        {
            throw OtException.DoesNotFit(
                $"a {what} of {component.Length} code points at position {position} goes past the end of the document ({CodePoints.Count(document)} code points).");
        }

        return end;
    }

    private static void CheckDeletedText(string document, int start, int end, int position, TextOpComponent component)
    {
        if (component.Text is not null && !document.AsSpan(start, end - start).SequenceEqual(component.Text))
        {
            throw OtException.DoesNotFit($"the text deleted at position {position} is not the document's text there.");
        }
    }
}
