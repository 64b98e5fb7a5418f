namespace Stoa.Ot;

public static partial class TextOt
{
    /// <summary>
    /// The smallest single-region op turning <paramref name="before"/> into <paramref name="after"/>: skip the common
    /// prefix, delete what differs (with its text, so the op is invertible), insert the new text. Prefix and suffix are
    /// cut at code point boundaries, never inside a surrogate pair. This is how a client turns a textarea change into
    /// an op.
    /// </summary>
    /// <remarks>
    /// The change is ambiguous when it touches a repeated run ("aa" to "aaa"); the insert then goes as late as the
    /// prefix allows, which is what a caret after the typed text suggests.
    /// </remarks>
    public static TextOp Diff(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (CodePoints.CountIfValid(before) < 0 || CodePoints.CountIfValid(after) < 0)
        {
            throw new OtException(OtErrorKind.InvalidArgument, "Cannot diff text that contains a lone surrogate.");
        }

        int prefix = before.AsSpan().CommonPrefixLength(after);
        if (prefix == before.Length && prefix == after.Length)
        {
            return TextOp.Empty;
        }

        if (prefix > 0 && char.IsHighSurrogate(before[prefix - 1]))
        {
            prefix--;
        }

        int limit = Math.Min(before.Length, after.Length) - prefix;
        int suffix = 0;
        while (suffix < limit && before[before.Length - 1 - suffix] == after[after.Length - 1 - suffix])
        {
            suffix++;
        }

        if (suffix > 0 && char.IsLowSurrogate(before[before.Length - suffix]))
        {
            suffix--;
        }

        var builder = new OpBuilder(3);
        builder.AppendSkip(CodePoints.Count(before.AsSpan(0, prefix)));
        string deleted = before.Substring(prefix, before.Length - prefix - suffix);
        if (deleted.Length > 0)
        {
            builder.Append(TextOpComponent.Unchecked(TextOpComponentKind.Delete, CodePoints.Count(deleted), deleted));
        }

        string inserted = after.Substring(prefix, after.Length - prefix - suffix);
        if (inserted.Length > 0)
        {
            builder.Append(TextOpComponent.Unchecked(TextOpComponentKind.Insert, CodePoints.Count(inserted), inserted));
        }

        return builder.Build();
    }
}
