using System.Globalization;

namespace Stoa.Previews.Extraction;

/// <summary>
/// A page reduced to what extractors read: its meta and link tags in document order (the head's, then any after it),
/// its title and language, its JSON-LD scripts, and URL resolution against its base.
/// </summary>
internal sealed class PageContext
{
    private readonly ILookup<string, string> _metaByKey;

    public PageContext(Uri finalUrl, HeadData head, ScanResult? scan = null)
    {
        FinalUrl = finalUrl;
        BaseUri = ResolveAgainst(finalUrl, head.BaseHref) is { } rebased ? new Uri(rebased) : finalUrl;
        Meta = scan is null ? head.Meta : [.. head.Meta, .. scan.Meta];
        Links = scan is null ? head.Links : [.. head.Links, .. scan.Links];
        JsonLd = scan is null ? head.JsonLd : [.. head.JsonLd, .. scan.JsonLd];
        Title = head.Title ?? scan?.Title;
        HtmlLang = head.HtmlLang;
        _metaByKey = Meta.ToLookup(m => m.Key, m => m.Content, StringComparer.Ordinal);
    }

    /// <summary>The URL the page was finally fetched from.</summary>
    public Uri FinalUrl { get; }

    /// <summary>The final URL after redirects, re-based by the first <c>&lt;base href&gt;</c>.</summary>
    public Uri BaseUri { get; }

    public IReadOnlyList<MetaTag> Meta { get; }

    public IReadOnlyList<LinkTag> Links { get; }

    public IReadOnlyList<string> JsonLd { get; }

    public string? Title { get; }

    public string? HtmlLang { get; }

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

    /// <summary>The href of the first link whose rel has <paramref name="rel"/>.</summary>
    public string? LinkHref(string rel) => Links.FirstOrDefault(l => l.Rel.Contains(rel))?.Href;

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

    private static string? Check(Uri uri) =>
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsoluteUri.Length <= TextNormalizer.MaxUrl
            ? uri.AbsoluteUri
            : null;
}
