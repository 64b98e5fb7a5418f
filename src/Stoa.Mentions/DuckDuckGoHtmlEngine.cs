using AngleSharp.Dom;

namespace Stoa.Mentions;

/// <summary>DuckDuckGo's JavaScript-free results page, <c>html.duckduckgo.com/html/?q=…</c>.</summary>
internal sealed class DuckDuckGoHtmlEngine(HttpClient http, Uri? baseUrl = null, TimeSpan? timeout = null)
    : HtmlSearchEngine(http, timeout)
{
    public static readonly Uri DefaultBaseUrl = new("https://html.duckduckgo.com/");

    private readonly Uri _baseUrl = AsDirectory(baseUrl ?? DefaultBaseUrl);

    public override string Name => "DuckDuckGo";

    protected override Uri BuildRequestUri(string query) => new(_baseUrl, "html/?q=" + Uri.EscapeDataString(query));

    // When it suspects a bot, DuckDuckGo answers 202 with an "anomaly" modal and a challenge form instead of results.
    protected override bool IsChallenge(IDocument page, Uri pageUri) =>
        page.QuerySelector(".anomaly-modal__modal, .anomaly-modal__title, form[action*='anomaly']") is not null
        || base.IsChallenge(page, pageUri);

    protected override IReadOnlyList<SearchResult>? ReadResults(IDocument page, Uri pageUri)
    {
        var results = new List<SearchResult>();
        foreach (var link in page.QuerySelectorAll("a.result__a"))
        {
            // Ads are paid placements, not results, and their hrefs are click trackers (duckduckgo.com/y.js?ad_domain=…).
            if (link.Closest(".result--ad") is not null)
            {
                continue;
            }

            if (ResultLinks.Resolve(pageUri, link.GetAttribute("href")) is { } url)
            {
                results.Add(new SearchResult(ResultLinks.UnwrapDuckDuckGo(pageUri, url), TitleOf(link)));
            }
        }

        // No links but the results column (or its "No results." notice) is there: the search found nothing.
        var isResultsPage = results.Count > 0 || page.QuerySelector("#links, .serp__results, .no-results") is not null;
        return isResultsPage ? results : null;
    }
}
