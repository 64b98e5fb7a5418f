using System.Globalization;
using AngleSharp.Dom;

namespace Stoa.Previews.Extraction;

/// <summary>A parsed page with what every extractor needs: its meta tags in order, and URL resolution.</summary>
internal sealed class PageContext
{
    private readonly ILookup<string, string> _metaByKey;

    public PageContext(IDocument document, Uri finalUrl)
    {
        Document = document;
        FinalUrl = finalUrl;
        BaseUri = BaseOf(document, finalUrl);
        var meta = new List<MetaTag>();
        foreach (var element in document.QuerySelectorAll("meta"))
        {
            var content = element.GetAttribute("content") ?? element.GetAttribute("value");
            if (content is null)
            {
                continue;
            }

            // Pages mix property= (the OGP spec), name= (Twitter, and many OGP users) and itemprop= for the same keys.
            foreach (var attribute in (ReadOnlySpan<string>)["property", "name", "itemprop"])
            {
                var key = element.GetAttribute(attribute)?.Trim().ToLowerInvariant();
                if (!string.IsNullOrEmpty(key))
                {
                    meta.Add(new MetaTag(key, content));
                }
            }
        }

        Meta = meta;
        _metaByKey = meta.ToLookup(m => m.Key, m => m.Content, StringComparer.Ordinal);
    }

    public IDocument Document { get; }

    /// <summary>The URL the page was finally fetched from.</summary>
    public Uri FinalUrl { get; }

    /// <summary>The final URL after redirects, re-based by the first <c>&lt;base href&gt;</c>.</summary>
    public Uri BaseUri { get; }

    public IReadOnlyList<MetaTag> Meta { get; }

    /// <summary>The first non-blank content for any of <paramref name="keys"/>, trying keys in order.</summary>
    public string? First(params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            foreach (var content in _metaByKey[key])
            {
                if (!string.IsNullOrWhiteSpace(content))
                {
                    return content;
                }
            }
        }

        return null;
    }

    /// <summary>An absolute http(s) URL for <paramref name="href"/>, or null (javascript:, data:, too long, garbage).</summary>
    public string? Resolve(string? href) => ResolveAgainst(BaseUri, href);

    internal static string? ResolveAgainst(Uri baseUri, string? href)
    {
        href = href?.Trim();
        if (string.IsNullOrEmpty(href) || href.Length > TextNormalizer.MaxUrl)
        {
            return null;
        }

        // Whitespace inside a URL attribute is stripped by browsers (newlines in long srcset/href values).
        if (href.AsSpan().IndexOfAny("\r\n\t") >= 0)
        {
            href = href.Replace("\r", string.Empty, StringComparison.Ordinal)
                .Replace("\n", string.Empty, StringComparison.Ordinal)
                .Replace("\t", string.Empty, StringComparison.Ordinal);
        }

        if (href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal))
        {
            // Keep Uri from reading "/path" as a Unix file path.
            return Uri.TryCreate(baseUri, new Uri(href, UriKind.Relative), out var rooted) ? Check(rooted) : null;
        }

        return Uri.TryCreate(baseUri, href, out var uri) ? Check(uri) : null;
    }

    public static int? ParseDimension(string? value)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var digits = 0;
        while (digits < value.Length && char.IsAsciiDigit(value[digits]))
        {
            digits++;
        }

        // "1200", "1200px" and "1200.0" are all seen in the wild; percentages are not a size.
        if (digits == 0 || digits > 6 || value.EndsWith('%'))
        {
            return null;
        }

        return int.Parse(value.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public static DateTimeOffset? ParseDate(string? value)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date))
        {
            return date.ToUniversalTime();
        }

        return null;
    }

    private static string? Check(Uri uri) =>
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsoluteUri.Length <= TextNormalizer.MaxUrl
            ? uri.AbsoluteUri
            : null;

    private static Uri BaseOf(IDocument document, Uri finalUrl)
    {
        var href = document.QuerySelector("base[href]")?.GetAttribute("href");
        var resolved = ResolveAgainst(finalUrl, href);
        return resolved is null ? finalUrl : new Uri(resolved);
    }
}
