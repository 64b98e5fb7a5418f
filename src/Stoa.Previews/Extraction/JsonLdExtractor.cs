using System.Text.Json;
using Stoa.Foundation.Json;
using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>
/// schema.org JSON-LD: every <c>application/ld+json</c> script, including <c>@graph</c> arrays, nested mainEntity, and
/// <c>@type</c> arrays. The most specific node (an article, product or video before a generic web page) describes the page;
/// WebSite/Organization nodes supply the site name and logo.
/// </summary>
internal static class JsonLdExtractor
{
    private const int MaxNodes = 200;

    private static readonly JsonDocumentOptions s_jsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 32,
    };

    private static readonly HashSet<string> s_articles = new(StringComparer.OrdinalIgnoreCase)
    {
        "Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle", "TechArticle", "SocialMediaPosting",
        "LiveBlogPosting", "AnalysisNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle",
        "BackgroundNewsArticle", "AdvertiserContentArticle", "SatiricalArticle", "DiscussionForumPosting", "Review", "Recipe",
    };

    private static readonly HashSet<string> s_pages = new(StringComparer.OrdinalIgnoreCase)
    {
        "WebPage", "ItemPage", "AboutPage", "CollectionPage", "ContactPage", "FAQPage", "ProfilePage", "QAPage",
        "SearchResultsPage", "CheckoutPage", "MedicalWebPage", "RealEstateListing",
    };

    public static PageMetadata Extract(PageContext page)
    {
        var nodes = new List<JsonElement>();
        foreach (var script in page.Document.QuerySelectorAll("script[type]"))
        {
            if (!string.Equals(script.GetAttribute("type")?.Trim(), "application/ld+json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                using var document = JsonText.Parse(script.TextContent, s_jsonOptions);
                Collect(document.RootElement, nodes, depth: 0);
            }
            catch (JsonException)
            {
                // Broken JSON-LD is common (CMS templates with raw newlines or trailing junk); the other sources remain.
            }
        }

        var result = new PageMetadata();
        var primary = nodes.FirstOrDefault(n => KindOf(n) is "article" or "product" or "video")
            is { ValueKind: JsonValueKind.Object } specific ? specific
            : nodes.FirstOrDefault(n => KindOf(n) == "website");
        if (primary.ValueKind == JsonValueKind.Object)
        {
            Describe(page, primary, result);
        }

        foreach (var node in nodes)
        {
            var types = TypesOf(node);
            if (types.Contains("WebSite", StringComparer.OrdinalIgnoreCase))
            {
                result.SiteName ??= String(node, "name");
            }
            else if (types.Any(t => t is "Organization" or "NewsMediaOrganization" or "Corporation"))
            {
                result.Logo ??= ImageUrl(page, Property(node, "logo"));
                result.SiteName ??= String(node, "name");
            }
        }

        return result;
    }

    private static void Describe(PageContext page, JsonElement node, PageMetadata result)
    {
        var kind = KindOf(node);
        result.Type = kind;
        result.Title = String(node, "headline") ?? String(node, "name");
        result.Description = String(node, "description");
        result.CanonicalUrl = page.Resolve(String(node, "url") ?? IdOrString(Property(node, "mainEntityOfPage")));
        result.Locale = String(node, "inLanguage");
        result.PublishedAt = PageContext.ParseDate(String(node, "datePublished") ?? String(node, "uploadDate") ?? String(node, "dateCreated"));
        result.Author = Names(Property(node, "author")) ?? Names(Property(node, "creator"));

        if (Property(node, "publisher") is { ValueKind: JsonValueKind.Object } publisher)
        {
            result.SiteName = String(publisher, "name");
            result.Logo = ImageUrl(page, Property(publisher, "logo"));
        }
        else if (Property(node, "brand") is { ValueKind: JsonValueKind.Object } brand && kind == "product")
        {
            result.Logo = ImageUrl(page, Property(brand, "logo"));
        }

        AddImages(page, Property(node, "image"), result.Images);
        AddImages(page, Property(node, "thumbnailUrl"), result.Images);
        AddImages(page, Property(node, "thumbnail"), result.Images);

        if (kind == "video")
        {
            AddVideo(page, node, result.Videos);
        }

        foreach (var video in Items(Property(node, "video")))
        {
            if (video.ValueKind == JsonValueKind.Object)
            {
                AddVideo(page, video, result.Videos);
                AddImages(page, Property(video, "thumbnailUrl"), result.Images);
            }
        }

        foreach (var audio in Items(Property(node, "audio")))
        {
            if (page.Resolve(audio.ValueKind == JsonValueKind.Object ? String(audio, "contentUrl") : StringOf(audio)) is { } url)
            {
                result.Audios.Add(new LinkAudio(url, audio.ValueKind == JsonValueKind.Object ? String(audio, "encodingFormat") : null));
            }
        }
    }

    private static void Collect(JsonElement element, List<JsonElement> nodes, int depth)
    {
        if (nodes.Count >= MaxNodes || depth > 4)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, nodes, depth + 1);
                }

                break;
            case JsonValueKind.Object:
                if (element.TryGetProperty("@type", out _))
                {
                    // Clone: the nodes outlive the JsonDocument they were parsed from.
                    nodes.Add(element.Clone());
                }

                if (element.TryGetProperty("@graph", out var graph))
                {
                    Collect(graph, nodes, depth + 1);
                }

                if (element.TryGetProperty("mainEntity", out var mainEntity))
                {
                    Collect(mainEntity, nodes, depth + 1);
                }

                break;
        }
    }

    /// <summary>article, product, video or website: the card type a node's most specific @type maps to.</summary>
    private static string? KindOf(JsonElement node)
    {
        var types = TypesOf(node);
        if (types.Any(s_articles.Contains))
        {
            return "article";
        }

        if (types.Any(t => t.Equals("Product", StringComparison.OrdinalIgnoreCase) || t.Equals("ProductGroup", StringComparison.OrdinalIgnoreCase)))
        {
            return "product";
        }

        if (types.Any(t => t.Equals("VideoObject", StringComparison.OrdinalIgnoreCase) || t.Equals("Movie", StringComparison.OrdinalIgnoreCase)))
        {
            return "video";
        }

        return types.Any(s_pages.Contains) ? "website" : null;
    }

    private static List<string> TypesOf(JsonElement node)
    {
        var types = new List<string>();
        foreach (var type in Items(Property(node, "@type")))
        {
            if (StringOf(type) is { } name)
            {
                // "schema:Article", "http://schema.org/Article" and "Article" are the same type.
                var cut = name.LastIndexOfAny(['/', ':', '#']);
                types.Add(cut >= 0 ? name[(cut + 1)..] : name);
            }
        }

        return types;
    }

    private static void AddVideo(PageContext page, JsonElement video, List<LinkVideo> videos)
    {
        var url = page.Resolve(String(video, "contentUrl")) ?? page.Resolve(String(video, "embedUrl"));
        if (url is not null)
        {
            videos.Add(new LinkVideo(url, Dimension(Property(video, "width")), Dimension(Property(video, "height")), String(video, "encodingFormat")));
        }
    }

    private static void AddImages(PageContext page, JsonElement? value, List<LinkImage> images)
    {
        foreach (var item in Items(value))
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                var url = page.Resolve(String(item, "url") ?? String(item, "contentUrl"));
                if (url is not null)
                {
                    images.Add(new LinkImage(url, Dimension(Property(item, "width")), Dimension(Property(item, "height")), String(item, "caption") ?? String(item, "name")));
                }
            }
            else if (page.Resolve(StringOf(item)) is { } url)
            {
                images.Add(new LinkImage(url));
            }
        }
    }

    private static string? ImageUrl(PageContext page, JsonElement? value)
    {
        foreach (var item in Items(value))
        {
            var url = item.ValueKind == JsonValueKind.Object
                ? page.Resolve(String(item, "url") ?? String(item, "contentUrl"))
                : page.Resolve(StringOf(item));
            if (url is not null)
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>Author names: a string, a Person/Organization, or an array of either; at most three, comma-separated.</summary>
    private static string? Names(JsonElement? value)
    {
        var names = Items(value)
            .Select(item => item.ValueKind == JsonValueKind.Object ? String(item, "name") : StringOf(item))
            .OfType<string>()
            .Where(name => !string.IsNullOrWhiteSpace(name) && !name.Contains("://", StringComparison.Ordinal))
            .Distinct()
            .Take(3)
            .ToList();
        return names.Count == 0 ? null : string.Join(", ", names);
    }

    private static int? Dimension(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetDouble(out var d) && d is > 0 and < 1_000_000 => (int)d,
        { ValueKind: JsonValueKind.String } s => PageContext.ParseDimension(s.GetString()),
        { ValueKind: JsonValueKind.Object } q => Dimension(Property(q, "value")),
        _ => null,
    };

    private static IEnumerable<JsonElement> Items(JsonElement? value)
    {
        if (value is not { } element)
        {
            yield break;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray().Take(16))
            {
                yield return item;
            }
        }
        else if (element.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            yield return element;
        }
    }

    private static JsonElement? Property(JsonElement node, string name) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out var value) ? value : null;

    private static string? String(JsonElement node, string name) =>
        Items(Property(node, name)).Select(StringOf).FirstOrDefault(s => s is not null);

    private static string? StringOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object when value.TryGetProperty("@value", out var literal) && literal.ValueKind == JsonValueKind.String => literal.GetString(),
        _ => null,
    };

    private static string? IdOrString(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Object } o => String(o, "@id") ?? String(o, "url"),
        _ => null,
    };
}
