using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Stoa.Mentions;

/// <summary>
/// Any engine with an HTML results page: a URL template with <c>{query}</c> and a CSS selector for the result links,
/// e.g. a self-hosted SearXNG: <c>https://searx.example/search?q={query}</c> with <c>article.result h3 a</c>.
/// </summary>
internal sealed class UrlTemplateEngine : HtmlSearchEngine
{
    public const string Placeholder = "{query}";

    private readonly string _template;
    private readonly string _selector;

    /// <exception cref="ArgumentException">The template is not an http(s) URL with {query}, or the selector is not CSS.</exception>
    public UrlTemplateEngine(HttpClient http, string template, string selector, TimeSpan? timeout = null)
        : base(http, timeout)
    {
        if (!TryValidateTemplate(template, out var sample, out var templateError))
        {
            throw new ArgumentException(templateError, nameof(template));
        }

        if (!IsValidSelector(selector))
        {
            throw new ArgumentException($"'{selector}' is not a valid CSS selector.", nameof(selector));
        }

        _template = template;
        _selector = selector;
        Name = sample.Authority;
    }

    public override string Name { get; }

    public static bool TryValidateTemplate(string? template, out Uri sample, out string error)
    {
        sample = null!;
        error = string.Empty;
        if (template is null || !template.Contains(Placeholder, StringComparison.Ordinal))
        {
            error = $"The URL template must contain {Placeholder}, e.g. https://searx.example/search?q={Placeholder}.";
            return false;
        }

        if (!Uri.TryCreate(template.Replace(Placeholder, "test", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            error = "The URL template must be an absolute http(s) URL.";
            return false;
        }

        sample = uri;
        return true;
    }

    public static bool IsValidSelector(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return false;
        }

        try
        {
            // AngleSharp only reports a bad selector when it is used, so try it on an empty page now, not after a search.
            _ = new HtmlParser().ParseDocument(string.Empty).QuerySelector(selector);
            return true;
        }
        catch (DomException)
        {
            return false;
        }
    }

    protected override Uri BuildRequestUri(string query) =>
        new(_template.Replace(Placeholder, Uri.EscapeDataString(query), StringComparison.Ordinal));

    // The engine is unknown, so an empty selection cannot be told apart from "no results": it is an empty list.
    protected override IReadOnlyList<SearchResult>? ReadResults(IDocument page, Uri pageUri)
    {
        var results = new List<SearchResult>();
        foreach (var element in page.QuerySelectorAll(_selector))
        {
            var link = element.HasAttribute("href") ? element : element.QuerySelector("a[href]");
            if (link is not null && ResultLinks.Resolve(pageUri, link.GetAttribute("href")) is { } url)
            {
                results.Add(new SearchResult(url, TitleOf(link)));
            }
        }

        return results;
    }
}
