using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>
/// The size rule for one op (413 <c>op_too_large</c>): checked when the op arrives and again after it is transformed,
/// because transforming past concurrent ops can split its components.
/// </summary>
internal static class OpLimits
{
    public static void Check(TextOp op, DocOptions options)
    {
        if (op.Count > options.MaxOpComponents)
        {
            throw DocErrors.TooLargeOp($"An op may have at most {options.MaxOpComponents} components (this one has {op.Count}).");
        }

        long edited = 0;
        foreach (var component in op.Components)
        {
            if (component.Text is not null)
            {
                edited += component.Length;
            }
        }

        if (edited > options.MaxOpLength)
        {
            throw DocErrors.TooLargeOp($"An op may insert or delete at most {options.MaxOpLength} code points of text (this one has {edited}).");
        }
    }
}
