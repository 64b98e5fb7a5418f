using System.Net;
using System.Text.Json;
using Stoa.Foundation.Json;
using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>
/// schema.org JSON-LD: every <c>application/ld+json</c> script (head and body), including <c>@graph</c> arrays, nested
/// mainEntity, <c>@type</c> arrays and <c>{"@id": …}</c> references to other nodes (how Yoast and most CMS plugins link
/// an article to its author, publisher and image). The most specific node (an article, product, video or audio before a
/// generic web page) describes the page; WebSite and Organization nodes supply the site name and logo. JSON strings
/// were never seen by the HTML parser, so their entities are decoded here, once.
/// </summary>
internal static class JsonLdExtractor
{
    private const int MaxNodes = 200;
    private const int MaxAuthors = 3;

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
        "HowTo", "Posting", "Question",
    };

    private static readonly HashSet<string> s_audio = new(StringComparer.OrdinalIgnoreCase)
    {
        "AudioObject", "PodcastEpisode", "MusicRecording", "MusicAlbum", "MusicPlaylist", "PodcastSeries", "RadioEpisode", "Episode",
    };

    private static readonly HashSet<string> s_pages = new(StringComparer.OrdinalIgnoreCase)
    {
        "WebPage", "ItemPage", "AboutPage", "CollectionPage", "ContactPage", "FAQPage", "ProfilePage", "QAPage",
        "SearchResultsPage", "CheckoutPage", "MedicalWebPage", "RealEstateListing",
    };

    private static readonly HashSet<string> s_organizations = new(StringComparer.OrdinalIgnoreCase)
    {
        "Organization", "NewsMediaOrganization", "Corporation", "OnlineBusiness", "OnlineStore", "LocalBusiness", "EducationalOrganization",
        "GovernmentOrganization", "NGO", "Brand",
    };

    public static void Extract(PageContext page, CandidateList candidates)
    {
        var nodes = new List<JsonElement>();
        foreach (var script in page.JsonLd)
        {
            try
            {
                using var document = JsonText.Parse(script, s_jsonOptions);
                Collect(document.RootElement, nodes, depth: 0);
            }
            catch (JsonException)
            {
                // Broken JSON-LD is common (CMS templates with raw newlines or trailing junk); the other sources remain.
            }
        }

        if (nodes.Count == 0)
        {
            return;
        }

        var graph = new Graph(nodes);
        // The most specific node; else a web page; else the WebSite itself (a home page), whose publisher is the site's.
        var primary = nodes.FirstOrDefault(n => KindOf(n) is "article" or "product" or "video" or "audio" or "event")
            is { ValueKind: JsonValueKind.Object } specific ? specific
            : nodes.FirstOrDefault(n => KindOf(n) == "website" && !TypesOf(n).Contains("WebSite", StringComparer.OrdinalIgnoreCase))
            is { ValueKind: JsonValueKind.Object } webPage ? webPage
            : nodes.FirstOrDefault(n => TypesOf(n).Contains("WebSite", StringComparer.OrdinalIgnoreCase));
        if (primary.ValueKind == JsonValueKind.Object)
        {
            Describe(page, graph, primary, candidates);

            // A product or video described apart from its page (Yoast's WebPage, the shop's Product): the page's own
            // dates back the item's up.
            var pageNode = nodes.FirstOrDefault(n => KindOf(n) == "website" && !TypesOf(n).Contains("WebSite", StringComparer.OrdinalIgnoreCase));
            if (pageNode.ValueKind == JsonValueKind.Object && KindOf(primary) != "website")
            {
                candidates.Add(CardField.Published, Sources.JsonLdPublished, String(pageNode, "datePublished"));
                candidates.Add(CardField.Modified, Sources.JsonLdModified, String(pageNode, "dateModified"));
            }
        }

        foreach (var node in nodes)
        {
            var types = TypesOf(node);
            if (types.Contains("WebSite", StringComparer.OrdinalIgnoreCase))
            {
                candidates.Add(CardField.SiteName, Sources.JsonLdWebSite, String(node, "name"));
            }
            else if (types.Any(s_organizations.Contains))
            {
                candidates.Add(CardField.SiteName, Sources.JsonLdOrganization, String(node, "name"));
                candidates.Add(CardField.Logo, Sources.JsonLdOrganizationLogo, ImageUrl(page, graph, Property(node, "logo")));
            }
        }
    }

    private static void Describe(PageContext page, Graph graph, JsonElement node, CandidateList candidates)
    {
        var kind = KindOf(node);
        candidates.Add(CardField.Type, Sources.JsonLdType, kind);
        candidates.Add(CardField.Title, Sources.JsonLdHeadline, String(node, "headline"));
        candidates.Add(CardField.Title, Sources.JsonLdName, String(node, "name"));
        candidates.Add(CardField.Description, Sources.JsonLdDescription, String(node, "description"));
        candidates.Add(CardField.Url, Sources.JsonLdUrl, page.Resolve(String(node, "url") ?? IdOrString(Property(node, "mainEntityOfPage"))));
        candidates.Add(CardField.Locale, Sources.JsonLdLanguage, Language(graph, Property(node, "inLanguage")));
        candidates.Add(CardField.Published, Sources.JsonLdPublished, String(node, "datePublished"));
        candidates.Add(CardField.Published, Sources.JsonLdUploaded, String(node, "uploadDate"));
        candidates.Add(CardField.Published, Sources.JsonLdCreated, String(node, "dateCreated"));
        candidates.Add(CardField.Modified, Sources.JsonLdModified, String(node, "dateModified"));

        var (people, organizations) = Names(graph, Property(node, "author"));
        candidates.Add(CardField.Author, Sources.JsonLdAuthor, people);
        candidates.Add(CardField.Author, Sources.JsonLdAuthorOrganization, organizations);
        var (creators, _) = Names(graph, Property(node, "creator"));
        candidates.Add(CardField.Author, Sources.JsonLdCreator, creators);
        var (artists, bands) = Names(graph, Property(node, "byArtist"));
        candidates.Add(CardField.Author, Sources.JsonLdByArtist, artists ?? bands);

        foreach (var publisher in Items(Property(node, "publisher")).Select(graph.Resolve).Where(p => p.ValueKind == JsonValueKind.Object).Take(1))
        {
            candidates.Add(CardField.SiteName, Sources.JsonLdPublisher, String(publisher, "name"));
            candidates.Add(CardField.Logo, Sources.JsonLdPublisherLogo, ImageUrl(page, graph, Property(publisher, "logo")));
        }

        if (kind == "product" && Property(node, "brand") is { } brand && graph.Resolve(brand) is { ValueKind: JsonValueKind.Object } brandNode)
        {
            candidates.Add(CardField.Logo, Sources.JsonLdBrandLogo, ImageUrl(page, graph, Property(brandNode, "logo")));
        }

        AddImages(page, graph, Property(node, "image"), candidates);
        AddImages(page, graph, Property(node, "thumbnailUrl"), candidates);
        AddImages(page, graph, Property(node, "thumbnail"), candidates);

        if (kind == "video")
        {
            AddVideo(page, node, candidates);
        }

        foreach (var video in Items(Property(node, "video")).Select(graph.Resolve))
        {
            if (video.ValueKind == JsonValueKind.Object)
            {
                AddVideo(page, video, candidates);
                AddImages(page, graph, Property(video, "thumbnailUrl"), candidates);
            }
        }

        if (kind == "audio")
        {
            AddAudio(page, node, candidates);
            foreach (var media in Items(Property(node, "associatedMedia")).Select(graph.Resolve))
            {
                AddAudio(page, media, candidates);
            }
        }

        foreach (var audio in Items(Property(node, "audio")).Select(graph.Resolve))
        {
            AddAudio(page, audio, candidates);
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

    /// <summary>article, product, video, audio or website: the card type a node's most specific @type maps to.</summary>
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

        if (types.Any(t => t.Equals("VideoObject", StringComparison.OrdinalIgnoreCase) || t.Equals("Movie", StringComparison.OrdinalIgnoreCase)
            || t.Equals("TVEpisode", StringComparison.OrdinalIgnoreCase)))
        {
            return "video";
        }

        if (types.Any(s_audio.Contains))
        {
            return "audio";
        }

        if (types.Any(t => t.EndsWith("Event", StringComparison.OrdinalIgnoreCase) || t.Equals("Festival", StringComparison.OrdinalIgnoreCase)))
        {
            return "event";
        }

        return types.Any(s_pages.Contains) || types.Contains("WebSite", StringComparer.OrdinalIgnoreCase) ? "website" : null;
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

    private static void AddVideo(PageContext page, JsonElement video, CandidateList candidates)
    {
        var (url, type) = page.Resolve(String(video, "contentUrl")) is { } content
            ? (content, String(video, "encodingFormat"))
            : (page.Resolve(String(video, "embedUrl")), "text/html");
        if (url is not null)
        {
            candidates.Add(Sources.JsonLdVideo, new LinkVideo(url, Dimension(Property(video, "width")), Dimension(Property(video, "height")), type));
        }
    }

    private static void AddAudio(PageContext page, JsonElement audio, CandidateList candidates)
    {
        var url = audio.ValueKind == JsonValueKind.Object ? page.Resolve(String(audio, "contentUrl") ?? String(audio, "embedUrl")) : page.Resolve(StringOf(audio));
        if (url is not null)
        {
            candidates.Add(Sources.JsonLdAudio, new LinkAudio(url, audio.ValueKind == JsonValueKind.Object ? String(audio, "encodingFormat") : null));
        }
    }

    private static void AddImages(PageContext page, Graph graph, JsonElement? value, CandidateList candidates)
    {
        foreach (var item in Items(value).Select(graph.Resolve))
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                var url = page.Resolve(String(item, "url") ?? String(item, "contentUrl"));
                if (url is not null)
                {
                    candidates.Add(Sources.JsonLdImage, new LinkImage(
                        url, Dimension(Property(item, "width")), Dimension(Property(item, "height")), String(item, "caption") ?? String(item, "name")));
                }
            }
            else if (page.Resolve(StringOf(item)) is { } url)
            {
                candidates.Add(Sources.JsonLdImage, new LinkImage(url));
            }
        }
    }

    private static string? ImageUrl(PageContext page, Graph graph, JsonElement? value)
    {
        foreach (var item in Items(value).Select(graph.Resolve))
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

    /// <summary>
    /// Author names: a string, a Person or Organization (inline or by @id), or an array of them; at most three,
    /// comma-separated. People and organizations are returned apart, since a person's name is the better byline.
    /// </summary>
    private static (string? People, string? Organizations) Names(Graph graph, JsonElement? value)
    {
        var people = new List<string>();
        var organizations = new List<string>();
        foreach (var item in Items(value).Select(graph.Resolve))
        {
            var name = item.ValueKind == JsonValueKind.Object ? String(item, "name") : StringOf(item);
            if (string.IsNullOrWhiteSpace(name) || name.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            var isOrganization = item.ValueKind == JsonValueKind.Object && TypesOf(item).Any(s_organizations.Contains);
            var list = isOrganization ? organizations : people;
            if (!list.Contains(name) && list.Count < MaxAuthors)
            {
                list.Add(name);
            }
        }

        return (people.Count == 0 ? null : string.Join(", ", people), organizations.Count == 0 ? null : string.Join(", ", organizations));
    }

    private static string? Language(Graph graph, JsonElement? value)
    {
        foreach (var item in Items(value).Select(graph.Resolve))
        {
            // "en-US", or a Language node with a name/alternateName.
            var text = item.ValueKind == JsonValueKind.Object ? String(item, "alternateName") ?? String(item, "name") : StringOf(item);
            if (text is not null)
            {
                return text;
            }
        }

        return null;
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

    /// <summary>A string value (or an @value literal), entity-decoded once: CMSs often HTML-escape JSON-LD texts.</summary>
    private static string? StringOf(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("@value", out var literal) && literal.ValueKind == JsonValueKind.String => literal.GetString(),
            _ => null,
        };
        return text is not null && text.Contains('&') ? WebUtility.HtmlDecode(text) : text;
    }

    private static string? IdOrString(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } s => StringOf(s),
        { ValueKind: JsonValueKind.Object } o => String(o, "@id") ?? String(o, "url"),
        _ => null,
    };

    /// <summary>The nodes by @id, to follow <c>{"@id": "…"}</c> references.</summary>
    private sealed class Graph
    {
        private readonly Dictionary<string, JsonElement> _byId = new(StringComparer.Ordinal);

        public Graph(List<JsonElement> nodes)
        {
            foreach (var node in nodes)
            {
                if (node.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } key)
                {
                    _byId.TryAdd(key, node);
                }
            }
        }

        /// <summary>The node a bare reference points to; anything else unchanged.</summary>
        public JsonElement Resolve(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String
                && !element.TryGetProperty("@type", out _) && !element.TryGetProperty("name", out _) && !element.TryGetProperty("url", out _)
                && _byId.TryGetValue(id.GetString()!, out var target))
            {
                return target;
            }

            return element;
        }
    }
}
