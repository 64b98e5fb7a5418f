using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Stoa.Previews.Extraction;

/// <summary>What a page's head declares, read with a spec-compliant parser: meta and link tags, title, base, language, JSON-LD.</summary>
internal sealed class HeadData
{
    public required List<MetaTag> Meta { get; init; }

    public required List<LinkTag> Links { get; init; }

    public required List<string> JsonLd { get; init; }

    public string? Title { get; init; }

    public string? HtmlLang { get; init; }

    public string? BaseHref { get; init; }

    /// <summary>Parses <paramref name="head"/> (the page up to its head's end) with AngleSharp, bounded by <see cref="NestingGuard"/>.</summary>
    public static HeadData Parse(string head)
    {
        // Scripting off: noscript content is parsed as markup, as in MarkupScanner.
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        using var document = parser.ParseDocument(NestingGuard.Truncate(head));
        var meta = new List<MetaTag>();
        foreach (var element in document.QuerySelectorAll("meta"))
        {
            var content = element.GetAttribute("content") ?? element.GetAttribute("value");
            if (content is null)
            {
                continue;
            }

            // Pages mix property= (the OGP spec), name= (Twitter, and many OGP users) and itemprop= for the same keys.
            var media = element.GetAttribute("media");
            foreach (var attribute in (ReadOnlySpan<string>)["property", "name", "itemprop", "http-equiv"])
            {
                var key = element.GetAttribute(attribute)?.Trim().ToLowerInvariant();
                if (!string.IsNullOrEmpty(key))
                {
                    meta.Add(new MetaTag(key, content, media));
                }
            }
        }

        var links = new List<LinkTag>();
        foreach (var link in document.QuerySelectorAll("link[rel][href]"))
        {
            links.Add(new LinkTag(
                MarkupScanner.RelTokens(link.GetAttribute("rel")!), link.GetAttribute("href")!, link.GetAttribute("type"), link.GetAttribute("sizes"), link.GetAttribute("title")));
        }

        var jsonLd = new List<string>();
        foreach (var script in document.QuerySelectorAll("script[type]"))
        {
            if (string.Equals(script.GetAttribute("type")?.Trim(), "application/ld+json", StringComparison.OrdinalIgnoreCase))
            {
                jsonLd.Add(script.TextContent);
            }
        }

        return new HeadData
        {
            Meta = meta,
            Links = links,
            JsonLd = jsonLd,
            Title = document.Head?.QuerySelector("title")?.TextContent ?? FirstHtmlTitle(document),
            HtmlLang = document.DocumentElement?.GetAttribute("lang") ?? document.DocumentElement?.GetAttribute("xml:lang"),
            BaseHref = document.QuerySelector("base[href]")?.GetAttribute("href"),
        };
    }

    // A title the parser moved out of the head (after stray body content) is still the page's; an SVG one is not.
    private static string? FirstHtmlTitle(IDocument document) =>
        document.QuerySelectorAll("title").FirstOrDefault(t => t.NamespaceUri == NamespaceNames.HtmlUri)?.TextContent;
}
