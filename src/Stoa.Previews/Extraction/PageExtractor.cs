namespace Stoa.Previews.Extraction;

/// <summary>
/// Reads a page: its head (up to <c>&lt;/head&gt;</c>, else <c>&lt;body&gt;</c>) with AngleSharp, the whole of it with
/// <see cref="MarkupScanner"/>, then every extractor over the result.
/// </summary>
internal static class PageExtractor
{
    /// <summary>A page with neither &lt;/head&gt; nor &lt;body&gt;: this much of it is parsed as its head.</summary>
    public const int MaxHeadlessHead = 64 * 1024;

    public static ExtractedPage Extract(string html, Uri finalUrl, HeadData? head = null)
    {
        var headEnd = HeadEnd(html);
        head ??= HeadData.Parse(html[..headEnd]);
        var baseUri = PageContext.ResolveAgainst(finalUrl, head.BaseHref) is { } rebased ? new Uri(rebased) : finalUrl;
        var scan = MarkupScanner.Scan(html, headEnd, href => PageContext.ResolveAgainst(baseUri, href));
        return Build(new PageContext(finalUrl, head, scan), scan.Candidates, withUrlDate: true);
    }

    /// <summary>What the head alone offers (the date in the URL left out: it should not spare the body's exact date).</summary>
    public static ExtractedPage ExtractHead(HeadData head, Uri finalUrl) => Build(new PageContext(finalUrl, head), null, withUrlDate: false);

    /// <summary>Where the head ends in <paramref name="html"/>: at <c>&lt;/head&gt;</c>, else at <c>&lt;body&gt;</c>, else after <see cref="MaxHeadlessHead"/> characters.</summary>
    public static int HeadEnd(string html)
    {
        var end = TagIndex(html, "</head");
        if (end < 0)
        {
            end = TagIndex(html, "<body");
        }

        return end >= 0 ? end : Math.Min(html.Length, MaxHeadlessHead);
    }

    /// <summary>The first <paramref name="tag"/> followed by '>', '/' or whitespace (so "&lt;/head" is not "&lt;/header").</summary>
    private static int TagIndex(string html, string tag)
    {
        var from = 0;
        while (true)
        {
            var at = html.IndexOf(tag, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return -1;
            }

            var next = at + tag.Length;
            if (next >= html.Length || html[next] is '>' or '/' or ' ' or '\t' or '\n' or '\r' or '\f')
            {
                return at;
            }

            from = next;
        }
    }

    private static ExtractedPage Build(PageContext page, CandidateList? scanned, bool withUrlDate)
    {
        var candidates = new CandidateList();
        OpenGraphExtractor.Extract(page, candidates);
        TwitterCardExtractor.Extract(page, candidates);
        JsonLdExtractor.Extract(page, candidates);
        HtmlExtractor.Extract(page, candidates);
        if (scanned is not null)
        {
            candidates.AddRange(scanned);
        }

        if (candidates.Items.Any(c => c.Field == CardField.Type && c.Source == Sources.JsonLdType && (string)c.Value == "event"))
        {
            // An event's page: the dates in its markup are when it happens, not when the page was published.
            candidates.RemoveAll(c => Sources.GuessedDates.Contains(c.Source));
        }

        if (withUrlDate)
        {
            candidates.Add(CardField.Published, Sources.UrlDate, DateParser.FromUrl(page.FinalUrl)?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        return new ExtractedPage(candidates, HtmlExtractor.OEmbedLink(page), HtmlExtractor.ManifestLink(page));
    }
}
