using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>
/// The last resort: plain HTML. &lt;title&gt;, meta description/author/theme-color, link rel=canonical and icons,
/// html lang, and the first image that is content rather than a tracking pixel or a lazy-load placeholder.
/// </summary>
internal static partial class HtmlExtractor
{
    private const int MaxImagesScanned = 200;

    public static PageMetadata Extract(PageContext page)
    {
        var document = page.Document;
        var result = new PageMetadata
        {
            Title = document.QuerySelector("title")?.TextContent,
            Description = page.First("description", "dc.description", "dcterms.description"),
            CanonicalUrl = page.Resolve(LinkHref(document, "canonical")),
            SiteName = page.First("application-name", "apple-mobile-web-app-title"),
            Author = page.First("author", "dc.creator", "dcterms.creator", "byl", "sailthru.author", "parsely-author"),
            Locale = document.DocumentElement?.GetAttribute("lang") ?? page.First("content-language", "language", "dc.language"),
            ThemeColor = ThemeColor(document),
            PublishedAt = PageContext.ParseDate(
                page.First("date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued",
                    "dcterms.created", "dcterms.issued", "datepublished", "sailthru.date", "parsely-pub-date", "article.published")
                ?? document.QuerySelector("time[datetime][pubdate], time[itemprop=datePublished][datetime], article time[datetime]")?.GetAttribute("datetime")),
        };

        var (favicon, touchIcon) = Icons(page);
        // Browsers ask the document's origin for /favicon.ico when a page declares no icon; so do we (unverified).
        result.Favicon = favicon ?? PageContext.ResolveAgainst(page.FinalUrl, "/favicon.ico");
        result.Logo = touchIcon;

        if (page.Resolve(LinkHref(document, "image_src")) is { } imageSource)
        {
            result.Images.Add(new LinkImage(imageSource));
        }
        else if (FirstContentImage(page) is { } image)
        {
            result.Images.Add(image);
        }

        if (FirstMedia(page, "video") is { } video)
        {
            result.Videos.Add(new LinkVideo(video.Url, PageContext.ParseDimension(video.Element.GetAttribute("width")),
                PageContext.ParseDimension(video.Element.GetAttribute("height")), video.Type));
        }

        if (FirstMedia(page, "audio") is { } audio)
        {
            result.Audios.Add(new LinkAudio(audio.Url, audio.Type));
        }

        return result;
    }

    /// <summary>The href of <c>&lt;link rel="application/json+oembed"&gt;</c>, resolved, if the page advertises one.</summary>
    public static string? OEmbedLink(PageContext page)
    {
        foreach (var link in page.Document.QuerySelectorAll("link[type][href]"))
        {
            if (string.Equals(link.GetAttribute("type")?.Trim(), "application/json+oembed", StringComparison.OrdinalIgnoreCase))
            {
                return page.Resolve(link.GetAttribute("href"));
            }
        }

        return null;
    }

    private static string? LinkHref(IDocument document, string rel)
    {
        foreach (var link in document.QuerySelectorAll("link[rel][href]"))
        {
            if (RelTokens(link).Contains(rel))
            {
                return link.GetAttribute("href");
            }
        }

        return null;
    }

    private static string[] RelTokens(IElement link) =>
        (link.GetAttribute("rel") ?? string.Empty).ToLowerInvariant().Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries);

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
        foreach (var link in page.Document.QuerySelectorAll("link[rel][href]"))
        {
            var rel = RelTokens(link);
            var isIcon = rel.Contains("icon");
            var isTouch = rel.Contains("apple-touch-icon") || rel.Contains("apple-touch-icon-precomposed");
            if ((!isIcon && !isTouch) || page.Resolve(link.GetAttribute("href")) is not { } url)
            {
                continue;
            }

            var size = LargestSize(link.GetAttribute("sizes"));
            if (isIcon && size > faviconSize)
            {
                (favicon, faviconSize) = (url, size);
            }
            else if (isTouch && size > touchIconSize)
            {
                (touchIcon, touchIconSize) = (url, size);
            }
        }

        return (favicon ?? touchIcon, touchIcon);
    }

    private static int LargestSize(string? sizes)
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

    private static string? ThemeColor(IDocument document)
    {
        string? first = null;
        foreach (var meta in document.QuerySelectorAll("meta[name][content]"))
        {
            if (!string.Equals(meta.GetAttribute("name")?.Trim(), "theme-color", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Several theme colors per color scheme are common; the one without a media query (or the light one) is the default.
            var media = meta.GetAttribute("media");
            var content = meta.GetAttribute("content");
            if (string.IsNullOrWhiteSpace(media) || media.Contains("light", StringComparison.OrdinalIgnoreCase))
            {
                return content;
            }

            first ??= content;
        }

        return first;
    }

    /// <summary>
    /// The first &lt;img&gt; that is content: lazy-load attributes win over a placeholder src, data: URIs are skipped,
    /// and tracking pixels (a declared width or height of 2 or less, or a pixel/spacer file name) are ignored.
    /// </summary>
    private static LinkImage? FirstContentImage(PageContext page)
    {
        foreach (var img in page.Document.QuerySelectorAll("img").Take(MaxImagesScanned))
        {
            var width = PageContext.ParseDimension(img.GetAttribute("width"));
            var height = PageContext.ParseDimension(img.GetAttribute("height"));
            if (width <= 2 || height <= 2 || img.HasAttribute("hidden") || IsHiddenByStyle(img.GetAttribute("style")))
            {
                continue;
            }

            string? url = null;
            foreach (var candidate in Sources(img))
            {
                if (candidate.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                url = page.Resolve(candidate);
                if (url is not null)
                {
                    break;
                }
            }

            if (url is null || PixelNameRegex().IsMatch(new Uri(url).AbsolutePath))
            {
                continue;
            }

            return new LinkImage(url, width, height, img.GetAttribute("alt"));
        }

        return null;
    }

    private static IEnumerable<string> Sources(IElement img)
    {
        // Lazy loaders keep the real URL in data-* and a placeholder (data: URI, blank.gif) in src.
        foreach (var attribute in (string[])["data-src", "data-lazy-src", "data-original", "data-lazy", "data-url"])
        {
            if (img.GetAttribute(attribute) is { Length: > 0 } value)
            {
                yield return value;
            }
        }

        foreach (var attribute in (string[])["data-srcset", "data-lazy-srcset", "srcset"])
        {
            if (FirstSrcsetUrl(img.GetAttribute(attribute)) is { } value)
            {
                yield return value;
            }
        }

        if (img.GetAttribute("src") is { Length: > 0 } src)
        {
            yield return src;
        }
    }

    private static string? FirstSrcsetUrl(string? srcset)
    {
        var first = srcset?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var url = first?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return string.IsNullOrEmpty(url) ? null : url;
    }

    private static bool IsHiddenByStyle(string? style) =>
        style is not null && HiddenStyleRegex().IsMatch(style);

    private static (string Url, string? Type, IElement Element)? FirstMedia(PageContext page, string tag)
    {
        foreach (var element in page.Document.QuerySelectorAll(tag).Take(10))
        {
            if (page.Resolve(element.GetAttribute("src")) is { } url)
            {
                return (url, element.GetAttribute("type"), element);
            }

            foreach (var source in element.QuerySelectorAll("source[src]"))
            {
                if (page.Resolve(source.GetAttribute("src")) is { } sourceUrl)
                {
                    return (sourceUrl, source.GetAttribute("type"), element);
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"(^|[/_.-])(1x1|pixel|spacer|blank|transparent|clear|tracking|tracker|beacon)([_.-][^/]*)?\.(gif|png|jpe?g|webp)$", RegexOptions.IgnoreCase)]
    private static partial Regex PixelNameRegex();

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden|(^|;)\s*(width|height)\s*:\s*[0-2](\.\d+)?px", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenStyleRegex();
}
