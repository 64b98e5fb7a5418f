using System.Globalization;

namespace Stoa.Previews.Extraction;

/// <summary>
/// Plain HTML metadata: &lt;title&gt;, meta description/author/date/theme-color and their Dublin Core, Parse.ly and
/// Sailthru variants, microdata meta tags (itemprop=datePublished…), link rel=canonical, icons, image_src, manifest and
/// oEmbed discovery, html lang. What only the body holds comes from <see cref="MarkupScanner"/>.
/// </summary>
internal static partial class HtmlExtractor
{
    public static void Extract(PageContext page, CandidateList candidates)
    {
        candidates.Add(CardField.Title, Sources.HtmlTitle, page.Title);
        candidates.Add(CardField.Title, Sources.MetaCitationTitle, page.First("citation_title", "dc.title", "dcterms.title"));
        candidates.Add(CardField.Description, Sources.MetaDescription, page.First("description", "dc.description", "dcterms.description"));
        candidates.Add(CardField.Url, Sources.LinkCanonical, page.Resolve(page.LinkHref("canonical")));
        candidates.Add(CardField.SiteName, Sources.ApplicationName, page.First("application-name", "apple-mobile-web-app-title"));
        candidates.Add(CardField.SiteName, Sources.TitleSiteName, TextNormalizer.SiteNameFromTitle(page.Title, page.FinalUrl));
        candidates.Add(CardField.SiteName, Sources.FeedTitle, FeedSiteName(page));
        candidates.Add(CardField.Author, Sources.MetaAuthor, page.First("author"));
        candidates.Add(CardField.Author, Sources.MetaByline, page.First("byl", "sailthru.author", "parsely-author", "article.author"));
        candidates.Add(CardField.Author, Sources.MetaCitationAuthor, page.First("dc.creator", "dcterms.creator", "citation_author"));
        candidates.Add(CardField.SiteName, Sources.MetaDcPublisher, page.First("dc.publisher", "dcterms.publisher", "citation_publisher"));
        candidates.Add(CardField.Locale, Sources.HtmlLang, page.HtmlLang);
        candidates.Add(CardField.Locale, Sources.MetaLanguage, page.First("content-language", "language", "dc.language", "dcterms.language"));
        candidates.Add(CardField.ThemeColor, Sources.ThemeColorMeta, ThemeColor(page));

        candidates.Add(CardField.Published, Sources.ItempropPublished, page.First("datepublished", "uploaddate"));
        candidates.Add(CardField.Published, Sources.MetaDate, page.First(
            "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created",
            "date", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date", "citation_publication_date", "citation_date",
            "article.published", "original-publish-date"));
        candidates.Add(CardField.Modified, Sources.ItempropModified, page.First("datemodified"));
        candidates.Add(CardField.Modified, Sources.MetaModified, page.First(
            "dcterms.modified", "dc.date.modified", "last-modified", "lastmod", "revised", "article.updated"));

        candidates.Add(Sources.LinkImageSrc, page.Resolve(page.LinkHref("image_src")) is { } imageSource ? new Core.LinkImage(imageSource) : null);
        candidates.Add(Sources.ItempropImage, page.Resolve(page.First("image", "thumbnailurl")) is { } itemImage ? new Core.LinkImage(itemImage) : null);
        candidates.Add(CardField.Logo, Sources.ItempropLogo, page.Resolve(page.First("logo")));

        var (favicon, touchIcon) = Icons(page);
        candidates.Add(CardField.Favicon, Sources.Icon, favicon);
        candidates.Add(CardField.Favicon, Sources.TouchIcon, touchIcon);
        candidates.Add(CardField.Logo, Sources.TouchIcon, touchIcon);
        candidates.Add(CardField.Logo, Sources.Icon, favicon);

        // Browsers ask the document's origin for /favicon.ico when a page declares no icon; so do we (unverified).
        var favicoIco = PageContext.ResolveAgainst(page.FinalUrl, "/favicon.ico");
        candidates.Add(CardField.Favicon, Sources.FaviconIco, favicoIco);
        candidates.Add(CardField.Logo, Sources.FaviconIco, favicoIco);
    }

    /// <summary>The page's oEmbed endpoint, when it advertises one (<c>application/json+oembed</c>, or SoundCloud's <c>text/json+oembed</c>).</summary>
    public static string? OEmbedLink(PageContext page)
    {
        foreach (var link in page.Links)
        {
            var type = link.Type?.Trim();
            if (string.Equals(type, "application/json+oembed", StringComparison.OrdinalIgnoreCase)
                || string.Equals(type, "text/json+oembed", StringComparison.OrdinalIgnoreCase))
            {
                return page.Resolve(link.Href);
            }
        }

        return null;
    }

    /// <summary>
    /// The site's name as its feed link gives it: "Muddy Boots » Feed", "Rosa's Quilting Corner - Atom", "Example RSS".
    /// Feeds of comments or of one post name more than the site, and are passed over.
    /// </summary>
    private static string? FeedSiteName(PageContext page)
    {
        foreach (var link in page.Links)
        {
            var type = link.Type?.Trim().ToLowerInvariant();
            if (!link.Rel.Contains("alternate") || type is not ("application/rss+xml" or "application/atom+xml") || string.IsNullOrWhiteSpace(link.Title)
                || link.Title.Length > TextNormalizer.MaxShort)
            {
                continue;
            }

            var match = FeedTitleRegex().Match(link.Title.Trim());
            if (match.Success && !link.Title.Contains("comment", StringComparison.OrdinalIgnoreCase))
            {
                return match.Groups["site"].Value.Trim();
            }
        }

        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<site>.+?)\s*(?:[-–—»|:]\s*)?(?:RSS\s*2\.0|RSS|Atom|Feed|RSS Feed|Atom Feed)\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex FeedTitleRegex();

    /// <summary>The web app manifest the page links to.</summary>
    public static string? ManifestLink(PageContext page) => page.Resolve(page.LinkHref("manifest"));

    /// <summary>
    /// The favicon: the largest declared rel=icon (sizes="any" is an SVG and wins), else the first one; and the
    /// largest apple-touch-icon, which doubles as a logo.
    /// </summary>
    private static (string? Favicon, string? TouchIcon) Icons(PageContext page)
    {
        string? favicon = null;
        var faviconSize = -1;
        string? touchIcon = null;
        var touchIconSize = -1;
        foreach (var link in page.Links)
        {
            var isIcon = link.Rel.Contains("icon");
            var isTouch = link.Rel.Contains("apple-touch-icon") || link.Rel.Contains("apple-touch-icon-precomposed");
            if ((!isIcon && !isTouch) || page.Resolve(link.Href) is not { } url)
            {
                continue;
            }

            var size = LargestSize(link.Sizes);
            if (isIcon && size > faviconSize)
            {
                (favicon, faviconSize) = (url, size);
            }
            else if (isTouch && size > touchIconSize)
            {
                (touchIcon, touchIconSize) = (url, size);
            }
        }

        return (favicon, touchIcon);
    }

    internal static int LargestSize(string? sizes)
    {
        if (string.IsNullOrWhiteSpace(sizes))
        {
            return 0;
        }

        var largest = 0;
        foreach (var size in sizes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (size.Equals("any", StringComparison.OrdinalIgnoreCase))
            {
                return int.MaxValue;
            }

            var x = size.IndexOfAny(['x', 'X']);
            if (x > 0 && int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width))
            {
                largest = Math.Max(largest, width);
            }
        }

        return largest;
    }

    private static string? ThemeColor(PageContext page)
    {
        string? first = null;
        foreach (var meta in page.Meta)
        {
            if (meta.Key != "theme-color")
            {
                continue;
            }

            // Several theme colors per color scheme are common; the one without a media query (or the light one) is the default.
            if (string.IsNullOrWhiteSpace(meta.Media) || meta.Media.Contains("light", StringComparison.OrdinalIgnoreCase))
            {
                return meta.Content;
            }

            first ??= meta.Content;
        }

        return first;
    }
}
