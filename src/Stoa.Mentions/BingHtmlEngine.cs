using AngleSharp.Dom;

namespace Stoa.Mentions;

/// <summary>Bing's results page, <c>www.bing.com/search?q=…</c>; organic results are <c>li.b_algo</c>.</summary>
internal sealed class BingHtmlEngine(HttpClient http, Uri? baseUrl = null, TimeSpan? timeout = null)
    : HtmlSearchEngine(http, timeout)
{
    public static readonly Uri DefaultBaseUrl = new("https://www.bing.com/");

    private readonly Uri _baseUrl = AsDirectory(baseUrl ?? DefaultBaseUrl);

    public override string Name => "Bing";

    protected override Uri BuildRequestUri(string query) => new(_baseUrl, "search?q=" + Uri.EscapeDataString(query));

    // Bing redirects suspected bots to /turing/captcha/challenge, or serves the challenge in place of the results.
    protected override bool IsChallenge(IDocument page, Uri pageUri) =>
        pageUri.AbsolutePath.StartsWith("/turing/captcha", StringComparison.OrdinalIgnoreCase)
        || page.QuerySelector("#b_captcha, .b_captcha, form[action*='/turing/captcha'], iframe[src*='/turing/captcha']") is not null
        || base.IsChallenge(page, pageUri);

    protected override IReadOnlyList<SearchResult>? ReadResults(IDocument page, Uri pageUri)
    {
        if (page.QuerySelector("#b_results") is null)
        {
            return null;
        }

        // Ads (li.b_ad) and answer cards are other list items; only li.b_algo are organic results.
        var results = new List<SearchResult>();
        foreach (var link in page.QuerySelectorAll("li.b_algo h2 a"))
        {
            if (ResultLinks.Resolve(pageUri, link.GetAttribute("href")) is { } url)
            {
                results.Add(new SearchResult(ResultLinks.UnwrapBing(pageUri, url), TitleOf(link)));
            }
        }

        return results;
    }
}
