namespace Stoa.Ot;

/// <summary>
/// Code point arithmetic on UTF-16 strings. Ops count Unicode code points (a surrogate pair is one), never UTF-16
/// units, so that ops mean the same thing in JavaScript, C#, Rust or Swift. A combining mark is a code point of its
/// own: positions may fall between a base letter and its mark (as in ot-text-unicode), but never inside a pair.
/// </summary>
/// <remarks>
/// Every loop jumps over runs without surrogates with a vectorized search, so BMP-only text (most text) costs one
/// pass of SIMD compares. A lone surrogate in a document counts as one code point; ops never contain one.
/// </remarks>
public static class CodePoints
{
    /// <summary>Returns the number of code points in <paramref name="text"/>.</summary>
    public static int Count(ReadOnlySpan<char> text) => Count(text, loneSurrogateIsError: false);

    /// <summary>
    /// Returns the number of code points in <paramref name="text"/>, or -1 when it holds a lone surrogate
    /// (which is not text and could not round-trip through UTF-8).
    /// </summary>
    public static int CountIfValid(ReadOnlySpan<char> text) => Count(text, loneSurrogateIsError: true);

    private static int Count(ReadOnlySpan<char> text, bool loneSurrogateIsError)
    {
        int pairs = 0;
        int i = 0;
        while (true)
        {
            int next = text.Slice(i).IndexOfAnyInRange('\uD800', '\uDFFF');
            if (next < 0)
            {
                return text.Length - pairs;
            }

            i += next;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                pairs++;
                i += 2;
            }
            else if (loneSurrogateIsError)
            {
                return -1;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>
    /// Converts a code point position to a UTF-16 index (what <see cref="string.Substring(int)"/> takes).
    /// Throws <see cref="OtException"/> when <paramref name="codePoints"/> is negative or past the end.
    /// </summary>
    public static int ToUtf16Index(ReadOnlySpan<char> text, int codePoints)
    {
        if (codePoints < 0)
        {
            throw new OtException(OtErrorKind.InvalidArgument, $"A code point position cannot be negative (got {codePoints}).");
        }

        int index = Advance(text, 0, codePoints);
        if (index < 0)
        {
            throw new OtException(OtErrorKind.InvalidArgument, $"Code point position {codePoints} is past the end of the text ({Count(text)} code points).");
        }

        return index;
    }

    /// <summary>
    /// Converts a UTF-16 index (what a textarea's selectionStart gives) to a code point position. An index that
    /// falls inside a surrogate pair counts the whole pair, so the result never splits it.
    /// </summary>
    public static int FromUtf16Index(ReadOnlySpan<char> text, int utf16Index)
    {
        if ((uint)utf16Index > (uint)text.Length)
        {
            throw new OtException(OtErrorKind.InvalidArgument, $"UTF-16 index {utf16Index} is outside the text (length {text.Length}).");
        }

        int end = utf16Index;
        if (end > 0 && end < text.Length && char.IsHighSurrogate(text[end - 1]) && char.IsLowSurrogate(text[end]))
        {
            end++;
        }

        return Count(text.Slice(0, end));
    }

    /// <summary>
    /// Returns the UTF-16 index <paramref name="count"/> code points after <paramref name="start"/>, or -1 when the
    /// text ends first. <paramref name="start"/> must not be inside a surrogate pair.
    /// </summary>
    internal static int Advance(ReadOnlySpan<char> text, int start, int count)
    {
        int i = start;
        while (count > 0)
        {
            ReadOnlySpan<char> rest = text.Slice(i);
            int next = rest.IndexOfAnyInRange('\uD800', '\uDFFF');
            int run = next < 0 ? rest.Length : next;
            if (run >= count)
            {
                return i + count;
            }

            i += run;
            count -= run;
            if (i >= text.Length)
            {
                return -1;
            }

            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            count--;
        }

        return i;
    }
}
