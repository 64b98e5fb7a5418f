using AngleSharp.Html.Parser;

namespace Stoa.Previews.Extraction;

/// <summary>Parses a page and runs every extractor over it.</summary>
internal static class PageExtractor
{
    public static ExtractedPage Extract(string html, Uri finalUrl)
    {
        // Scripting off: noscript content is parsed as markup, which is where lazy-loading sites keep the real img.
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        using var document = parser.ParseDocument(NestingGuard.Truncate(html));
        var page = new PageContext(document, finalUrl);
        return new ExtractedPage(
            OpenGraphExtractor.Extract(page),
            TwitterCardExtractor.Extract(page),
            JsonLdExtractor.Extract(page),
            HtmlExtractor.Extract(page),
            HtmlExtractor.OEmbedLink(page));
    }
}
