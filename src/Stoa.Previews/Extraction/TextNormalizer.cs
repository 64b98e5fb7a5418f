using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Stoa.Previews.Extraction;

/// <summary>Cleans texts taken from pages: entities decoded, whitespace collapsed, invisible characters dropped, capped.</summary>
internal static partial class TextNormalizer
{
    public const int MaxTitle = 300;
    public const int MaxDescription = 1000;
    public const int MaxShort = 200;
    public const int MaxAlt = 500;
    public const int MaxUrl = 2048;

    /// <returns>The cleaned text, or null when nothing visible is left.</returns>
    public static string? Clean(string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // The parser decoded entities once; pages that double-encode (&amp;amp;) are common enough to decode again.
        if (text.Contains('&') && EntityRegex().IsMatch(text))
        {
            text = WebUtility.HtmlDecode(text);
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 16));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            // Control and format characters (zero-width spaces, BOMs, bidi overrides) only hide or reorder text.
            var category = char.GetUnicodeCategory(c);
            if (category is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format)
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (builder.Length > maxLength + 1)
            {
                break;
            }
        }

        if (builder.Length == 0)
        {
            return null;
        }

        return Truncate(builder.ToString(), maxLength);
    }

    /// <summary>Caps <paramref name="text"/> at <paramref name="maxLength"/> characters, ending in an ellipsis.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = maxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }

    [GeneratedRegex(@"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")]
    private static partial Regex EntityRegex();
}
