using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Stoa.Previews.Extraction;

/// <summary>
/// Cleans texts taken from pages: whitespace collapsed, invisible characters dropped, capped at a word boundary.
/// Entities are decoded exactly once, where the text was read: the HTML parser (and <see cref="MarkupScanner"/>)
/// decode markup, the JSON readers decode JSON-LD and oEmbed strings. A text that still shows <c>&amp;amp;</c> after
/// that was written so on purpose, or double-encoded by its site; decoding it again would corrupt the first kind.
/// </summary>
internal static partial class TextNormalizer
{
    public const int MaxTitle = 300;

    /// <summary>Descriptions are cut at 300 characters, at a word boundary, ending in "…": two to four lines of a card.</summary>
    public const int MaxDescription = 300;

    public const int MaxShort = 200;
    public const int MaxAlt = 500;
    public const int MaxUrl = 2048;

    /// <summary>A name longer than this is a sentence or a bio, not a byline.</summary>
    public const int MaxAuthor = 100;

    private static readonly HashSet<string> s_roleWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "staff", "writer", "writers", "reporter", "reporters", "editor", "editors", "contributor", "contributors", "correspondent",
        "correspondents", "columnist", "senior", "associate", "assistant", "contributing", "managing", "executive", "deputy", "chief",
        "editor-in-chief", "in", "news", "sports", "political", "politics", "business", "tech", "technology", "science", "health",
        "culture", "photographer", "producer", "journalist", "author", "guest", "freelance", "special", "to", "the", "bureau", "desk",
        "analyst", "critic", "reviewer", "intern", "fellow", "global", "national", "international", "white", "house", "affairs", "at",
        "large", "for", "of", "&", "founder", "co-founder", "ceo", "cto", "host", "anchor", "digital", "content", "team", "lead",
        "entertainment", "travel", "food", "opinion", "contributing", "staffer", "head",
    };

    private static readonly HashSet<string> s_roleNouns = new(StringComparer.OrdinalIgnoreCase)
    {
        "reporter", "correspondent", "writer", "editor", "contributor", "columnist", "journalist", "photographer", "producer", "analyst",
        "critic", "reviewer", "intern", "staffer", "editor-in-chief",
    };

    /// <returns>The cleaned text (untruncated when <paramref name="maxLength"/> is large), or null when nothing visible is left.</returns>
    public static string? Clean(string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
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
            if (category is UnicodeCategory.Control or UnicodeCategory.Format)
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

    /// <summary>
    /// Caps <paramref name="text"/> at <paramref name="maxLength"/> characters ending in "…", cut after the last whole
    /// word that fits (mid-word only when that word is longer than two fifths of the cap).
    /// </summary>
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

        if (!char.IsWhiteSpace(text[cut]))
        {
            var space = text.LastIndexOf(' ', cut - 1);
            if (space > maxLength * 3 / 5)
            {
                cut = space;
            }
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd().TrimEnd(",;:-–—|·•"), "…");
    }

    /// <summary>
    /// "Title | Site", "Title - Site", "Site: Title"… without the site's name, when the title carries one of
    /// <paramref name="siteNames"/> at either end behind a separator. The rest must keep something to read.
    /// </summary>
    public static string StripSiteName(string title, IEnumerable<string> siteNames)
    {
        foreach (var name in siteNames)
        {
            if (name.Length == 0 || name.Length >= title.Length)
            {
                continue;
            }

            if (title.EndsWith(name, StringComparison.OrdinalIgnoreCase) && TrimSeparator(title.AsSpan(0, title.Length - name.Length), atEnd: true) is { } left)
            {
                return left;
            }

            // "Title - video Dailymotion": a last segment that ends with the name, after a word or two.
            var separator = TitleSeparatorRegex().Matches(title).LastOrDefault();
            if (separator is not null && title.EndsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                var segment = title[(separator.Index + separator.Length)..];
                var extraWords = segment[..^name.Length].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                if (extraWords <= 2 && separator.Index >= 2)
                {
                    return title[..separator.Index].TrimEnd();
                }
            }

            if (title.StartsWith(name, StringComparison.OrdinalIgnoreCase) && TrimSeparator(title.AsSpan(name.Length), atEnd: false) is { } right)
            {
                return right;
            }
        }

        return title;
    }

    private static string? TrimSeparator(ReadOnlySpan<char> rest, bool atEnd)
    {
        var trimmed = rest.Trim();
        var separator = atEnd ? SeparatorAtEndRegex().Match(trimmed.ToString()) : SeparatorAtStartRegex().Match(trimmed.ToString());
        if (!separator.Success)
        {
            return null;
        }

        // The separator must stand apart ("Site - Title"), except for ':' and '|' which may hug the word ("Site: Title").
        var text = trimmed.ToString();
        var remaining = atEnd ? text[..separator.Index].TrimEnd() : text[(separator.Index + separator.Length)..].TrimStart();
        return remaining.Length >= 2 && remaining.Any(char.IsLetterOrDigit) ? remaining : null;
    }

    /// <summary>
    /// A byline as a name: "By Jane Doe, Staff Writer" → "Jane Doe". Drops a leading "By"/"Written by"/"Posted by", a
    /// trailing date, reading time, role ("Senior Editor") or outlet (one of <paramref name="siteNames"/>), and turns
    /// an all-capitals byline into title case.
    /// </summary>
    /// <param name="guessed">
    /// The text was found by class name rather than declared: it must look like a name of two words at least.
    /// </param>
    /// <returns>The name, or the reason the text is no name.</returns>
    public static (string? Name, string? Rejection) Author(string raw, bool guessed, IEnumerable<string> siteNames)
    {
        var text = Clean(raw, 400);
        if (text is null)
        {
            return (null, "blank");
        }

        if (text.Contains("://", StringComparison.Ordinal) || text.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "a URL, not a name");
        }

        if (EmailRegex().IsMatch(text))
        {
            return (null, "an e-mail address, not a name");
        }

        text = ByPrefixRegex().Replace(text, string.Empty);
        text = HandleSuffixRegex().Replace(text, string.Empty);
        text = TrailerRegex().Replace(text, string.Empty).Trim();
        text = DropTrailingRoles(text, siteNames);
        text = text.Trim().TrimEnd(',', '|', '-', '–', '—', '·', '•', ':').Trim();
        if (text.Length == 0 || !text.Any(char.IsLetter))
        {
            return (null, "no name left after removing 'By' and roles");
        }

        if (text.Length > MaxAuthor)
        {
            return (null, $"longer than {MaxAuthor} characters: a sentence, not a name");
        }

        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // "Business reporter", "Staff Writer": a job, not a name. A job noun must be there: Head, White and Lead are surnames too.
        if (words.Any(s_roleNouns.Contains) && words.All(w => s_roleWords.Contains(w) || s_roleNouns.Contains(w)))
        {
            return (null, "a role, not a name");
        }

        // "Simon Ashworth Business reporter": a role noun (and the role words before it) after a name of two words or
        // more, without a separator. Only a job title ends the strip: "Jamal White" keeps his name.
        var roles = 0;
        if (s_roleNouns.Contains(words[^1]))
        {
            roles = 1;
            while (roles < words.Length && s_roleWords.Contains(words[words.Length - 1 - roles]))
            {
                roles++;
            }
        }

        if (roles > 0 && words.Length - roles >= 2)
        {
            words = words[..^roles];
            text = string.Join(' ', words);
        }

        if (words.Length > 12)
        {
            return (null, "more than 12 words: a sentence, not a name");
        }

        if (guessed && (words.Length < 2 || text.Any(char.IsDigit)))
        {
            return (null, "guessed from a class name and not two words of letters: not clearly a name");
        }

        if (text.Any(char.IsLetter) && text.Where(char.IsLetter).All(char.IsUpper) && text.Count(char.IsLetter) > 3)
        {
            text = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(text.ToLowerInvariant());
        }

        return (text, null);
    }

    /// <summary>Library and citation metadata write "Müller, Anna": a card shows "Anna Müller". Several authors are separated by ';'.</summary>
    public static string FirstNameFirst(string name)
    {
        return string.Join(", ", name.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(one =>
        {
            var parts = one.Split(',', StringSplitOptions.TrimEntries);
            return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? parts[1] + " " + parts[0] : one;
        }));
    }

    public static bool IsHandle(string author) => author.StartsWith('@') && !author.Contains(' ', StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/> is one of <paramref name="siteNames"/> (ignoring case, punctuation and a ".com"-like ending).</summary>
    public static bool IsSiteName(string name, IEnumerable<string> siteNames)
    {
        var key = NameKey(name);
        return key.Length > 0 && siteNames.Any(site => NameKey(site) == key);
    }

    /// <summary>
    /// The site's name when a title ends (or starts) with it: "Story - Millbrook Gazette" on millbrookgazette.example.
    /// The segment must match a label of the host (letters and digits only, case ignored).
    /// </summary>
    public static string? SiteNameFromTitle(string? title, Uri url)
    {
        if (string.IsNullOrWhiteSpace(title) || title.Length > MaxTitle)
        {
            return null;
        }

        var labels = url.IdnHost.ToLowerInvariant().Split('.');
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Length - 1; i++)
        {
            // "millbrookgazette", and "millbrookgazettecom" for a title that names the domain itself.
            keys.Add(labels[i].Replace("-", string.Empty, StringComparison.Ordinal));
            keys.Add(string.Concat(labels[i..]).Replace("-", string.Empty, StringComparison.Ordinal));
        }

        keys.Remove("www");
        var parts = TitleSeparatorRegex().Split(title.Trim());
        var colon = title.IndexOf(": ", StringComparison.Ordinal);
        string[] candidates = parts.Length >= 2 ? [parts[^1], parts[0]] : colon > 0 ? [title[..colon]] : [];
        foreach (var candidate in candidates)
        {
            var key = new string([.. candidate.Where(char.IsLetterOrDigit)]).ToLowerInvariant();
            if (key.Length >= 3 && (keys.Contains(key) || keys.Any(label => label.Length >= 5 && key.Length <= 3 * label.Length && IsSubsequence(label, key))))
            {
                return candidate.Trim();
            }
        }

        return null;
    }

    /// <summary>"coastlinerocketry" in "coastlineamateurrocketry", "nytimes" in "thenewyorktimes": a domain's letters, in order, in a name.</summary>
    private static bool IsSubsequence(string label, string name)
    {
        var at = 0;
        foreach (var c in name)
        {
            if (at < label.Length && label[at] == c)
            {
                at++;
            }
        }

        return at == label.Length;
    }

    private static string NameKey(string name)
    {
        var trimmed = TopLevelDomainRegex().Replace(name.Trim(), string.Empty);
        return new string([.. trimmed.Where(char.IsLetterOrDigit)]).ToLowerInvariant();
    }

    private static string DropTrailingRoles(string text, IEnumerable<string> siteNames)
    {
        for (var i = 0; i < 3; i++)
        {
            var separator = text.LastIndexOfAny([',', '|', '–', '—', '(', '·', '•']);
            var dash = text.LastIndexOf(" - ", StringComparison.Ordinal);
            var at = Math.Max(separator, dash);
            if (at <= 0)
            {
                return text;
            }

            var tail = text[(at + (at == dash ? 3 : 1))..].Trim().TrimEnd(')').Trim();
            var words = tail.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var isRole = words.Length > 0 && words.All(s_roleWords.Contains);
            var isOutlet = siteNames.Any(name => name.Equals(tail, StringComparison.OrdinalIgnoreCase));
            if (!isRole && !isOutlet && tail.Length > 0)
            {
                return text;
            }

            text = text[..at].TrimEnd();
        }

        return text;
    }

    [GeneratedRegex(@"^\s*(?:(?:written|posted|submitted|words|story|reporting|text|published|article|photos?|video)\s+)?(?:by|von|par|por|door)\s*[:\-–]?\s+", RegexOptions.IgnoreCase)]
    private static partial Regex ByPrefixRegex();

    // A date, "Updated …", "Published …" or a reading time after the name.
    [GeneratedRegex(@"(?:\s+|\s*[|•·,–—-]\s*)(?:(?:updated|published|posted|last\s+updated|on)\b.*|\d{1,2}/\d{1,2}/\d{4}.*|\d+\s*min(?:ute)?s?\s+read.*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}.*|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}.*|\d{4}-\d{2}-\d{2}.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailerRegex();

    [GeneratedRegex(@"\.(com|net|org|fr|de|co\.uk|uk|es|it|nl|io|co|info|news)$", RegexOptions.IgnoreCase)]
    private static partial Regex TopLevelDomainRegex();

    [GeneratedRegex(@"\s+(?:\||-|–|—|·|•|»|::|~)\s+")]
    private static partial Regex TitleSeparatorRegex();

    // "Ines Varga (@ines.bsky.social)": the handle after a name adds nothing to it.
    [GeneratedRegex(@"(?<=\S)\s*\(@[^()\s]+\)\s*$")]
    private static partial Regex HandleSuffixRegex();

    [GeneratedRegex(@"^[^\s@]+@[^\s@]+\.[a-z]{2,}$", RegexOptions.IgnoreCase)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"\s(\||-|–|—|·|•|:|»|«|/|~|::)$|(\||:)$")]
    private static partial Regex SeparatorAtEndRegex();

    [GeneratedRegex(@"^(\||-|–|—|·|•|:|»|«|/|~|::)\s|^(\||:)")]
    private static partial Regex SeparatorAtStartRegex();
}
