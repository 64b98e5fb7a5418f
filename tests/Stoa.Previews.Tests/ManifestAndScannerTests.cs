using System.Text;
using Stoa.Previews.Core;
using Stoa.Previews.Extraction;

namespace Stoa.Previews.Tests;

/// <summary>The body scanner's rules, the manifest reader and the head gate, on small pages.</summary>
public sealed class ManifestAndScannerTests
{
    private static readonly Uri Page = new("https://site.example/posts/a");

    private static LinkCard Card(string html)
    {
        var page = PageExtractor.Extract(html, Page);
        return CardMerger.Merge(Page, "text/html", page.Candidates, embed: null);
    }

    [Fact]
    public void Manifest_icons_pick_the_largest_usable_one()
    {
        var json = """{"name":"App","icons":[{"src":"a.png","sizes":"48x48"},{"src":"b.svg","sizes":"any"},{"src":"c.png","sizes":"1024x1024","purpose":"maskable"}]}"""u8;
        var candidates = ManifestExtractor.Parse(json, new Uri("https://site.example/static/manifest.json"))!;
        candidates.Items.Single(c => c.Field == CardField.Logo).Value.ShouldBe("https://site.example/static/b.svg");
        candidates.Items.Single(c => c.Field == CardField.SiteName).Value.ShouldBe("App");
        ManifestExtractor.Parse("not json"u8, Page).ShouldBeNull();
    }

    [Fact]
    public void Bylines_in_navigation_comments_and_related_posts_are_not_the_pages()
    {
        var card = Card("""
            <html><head><title>t</title></head><body>
            <nav><span class="byline">By Nav Person</span></nav>
            <div id="comments"><div class="comment-author">Comment Person</div><time datetime="2020-01-01">x</time></div>
            <section class="related-posts"><p class="byline">By Related Person</p></section>
            <article><p class="byline">By Real Person</p><time datetime="2024-05-17T10:00:00Z">May 17</time></article>
            </body></html>
            """);
        card.Author.ShouldBe("Real Person");
        card.PublishedAt.ShouldBe(new DateTimeOffset(2024, 5, 17, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_listing_of_several_articles_has_no_byline_or_date_of_its_own()
    {
        var card = Card("""
            <html><head><title>Blog</title></head><body><main>
            <article><h2>One</h2><span class="byline">By Ann Writer</span><time datetime="2024-01-01">x</time></article>
            <article><h2>Two</h2><span class="byline">By Bob Writer</span><time datetime="2024-02-01">x</time></article>
            </main></body></html>
            """);
        card.Author.ShouldBeNull();
        card.PublishedAt.ShouldBeNull();
    }

    [Fact]
    public void Microdata_author_publisher_and_video_are_read_within_their_items()
    {
        var card = Card("""
            <html><head><title>t</title></head><body>
            <div itemscope itemtype="http://schema.org/VideoObject">
              <span itemprop="author" itemscope itemtype="http://schema.org/Person"><link itemprop="name" content="Channel Name"></span>
              <div itemprop="publisher" itemscope itemtype="http://schema.org/Organization"><meta itemprop="name" content="Pub Co"></div>
              <link itemprop="embedUrl" href="https://player.example/embed/1">
              <meta itemprop="uploadDate" content="2023-04-01T07:00:05-07:00">
              <meta itemprop="name" content="Not the author">
            </div></body></html>
            """);
        card.Author.ShouldBe("Channel Name");
        card.SiteName.ShouldBe("Pub Co");
        card.Videos.Single().Url.ShouldBe("https://player.example/embed/1");
        card.PublishedAt.ShouldBe(new DateTimeOffset(2023, 4, 1, 14, 0, 5, TimeSpan.Zero));
    }

    [Fact]
    public void Media_elements_posters_and_audio_links_are_read()
    {
        var card = Card("""
            <html><head><title>t</title></head><body><article>
            <video poster="/poster.jpg" width="640" height="360"><source src="/clip.webm" type="video/webm"></video>
            <audio><source src="/talk.ogg" type="audio/ogg"></audio>
            <a href="/files/interview.mp3">MP3</a>
            </article></body></html>
            """);
        card.Images.Single().Url.ShouldBe("https://site.example/poster.jpg");
        card.Videos.ShouldBe([new LinkVideo("https://site.example/clip.webm", 640, 360, "video/webm")]);
        card.Audios.ShouldBe([new LinkAudio("https://site.example/talk.ogg", "audio/ogg"), new LinkAudio("https://site.example/files/interview.mp3", "audio/mpeg")]);
    }

    [Fact]
    public void Script_style_comment_and_svg_contents_are_not_markup()
    {
        var card = Card("""
            <html><head></head><body>
            <script>document.write('<a rel="author" href="/x">Script Person</a><title>Script title</title>');</script>
            <style>.byline::before { content: "By Style Person"; }</style>
            <!-- <span class="byline">By Comment Person</span> -->
            <svg><title>An icon</title></svg>
            <title>Late title</title>
            <p><a rel="author" href="/a">Ada Lovelace</a></p>
            </body></html>
            """);
        card.Title.ShouldBe("Late title");
        card.Author.ShouldBe("Ada Lovelace");
    }

    [Fact]
    public void An_empty_twitter_image_or_an_og_image_alt_alone_is_no_image()
    {
        var card = Card("""
            <html><head><title>t</title><meta property="og:image:alt" content="Alt"><meta name="twitter:image" content=""></head>
            <body><article><img src="/content.jpg" width="800" height="600" alt="Content"></article></body></html>
            """);
        card.Images.Single().Url.ShouldBe("https://site.example/content.jpg");
    }

    [Theory]
    [InlineData("<meta property=\"og:image:alt\" content=\"x\">", "image")]
    [InlineData("<meta name=\"twitter:image\" content=\"\">", "image")]
    [InlineData("<meta name=\"twitter:creator\" content=\"@jane\">", "author")]
    [InlineData("<meta property=\"article:author\" content=\"https://facebook.com/jane\">", "author")]
    [InlineData("<meta name=\"author\" content=\"Head Site\">", "author")]
    public void The_head_gate_reads_the_body_for_what_the_head_only_pretends_to_have(string meta, string missing)
    {
        const string complete = """
            <title>t</title><meta name="description" content="d"><meta property="og:image" content="/i.jpg"><meta name="author" content="Jane Doe">
            <meta property="article:published_time" content="2024-01-01T00:00:00Z"><meta property="og:site_name" content="Head Site">
            """;
        var probe = new HeadProbe();
        probe.HeadSuffices(Page, null, Encoding.UTF8.GetBytes("<html><head>" + complete)).ShouldBeTrue();

        var lacking = complete
            .Replace("<meta property=\"og:image\" content=\"/i.jpg\">", missing == "image" ? meta : "<meta property=\"og:image\" content=\"/i.jpg\">", StringComparison.Ordinal)
            .Replace("<meta name=\"author\" content=\"Jane Doe\">", missing == "author" ? meta : "<meta name=\"author\" content=\"Jane Doe\">", StringComparison.Ordinal);
        var second = new HeadProbe();
        second.HeadSuffices(Page, null, Encoding.UTF8.GetBytes("<html><head>" + lacking)).ShouldBeFalse();
        second.Missing.ShouldBe([missing]);
    }
}

/// <summary>
/// Hostile pages aimed at the extraction's text rules and the scanner's stack: each stays within the bounds that keep
/// it a linear pass (counted, not timed: benchmarks time, tests count).
/// </summary>
public sealed class HostileExtractionTests
{
    private static readonly Uri Page = new("https://site.example/");

    public static TheoryData<string> Pages() =>
    [
        // A feed link title and a <title> of a mebibyte, shaped to make a backtracking regex retry from every position.
        "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" title=\"" + new string('a', 1 << 20) + " -\" href=\"/f\"><title>" + string.Concat(Enumerable.Repeat("x | ", 1 << 18)) + "</title></head><body></body></html>",

        // A hundred thousand date-like and byline-like elements holding text that is neither.
        "<html><head></head><body>" + string.Concat(Enumerable.Repeat("<span class=\"date\">" + new string('9', 300) + " May</span><span class=\"byline\">" + new string('w', 300) + "</span>", 2000)) + "</body></html>",

        // A full stack, then end tags that match nothing in it.
        "<html><head></head><body>" + string.Concat(Enumerable.Range(0, 512).Select(i => $"<x{i}>")) + string.Concat(Enumerable.Repeat("</y>", 400_000)) + "</body></html>",

        // A hundred thousand links and images.
        "<html><head></head><body>" + string.Concat(Enumerable.Repeat("<a href=\"/a.mp3?x\" rel=\"author\">Ann Lee</a><img src=\"/i.png\">", 50_000)) + "</body></html>",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public void Hostile_pages_stay_within_the_scanners_bounds(string html)
    {
        var scan = MarkupScanner.Scan(html, PageExtractor.HeadEnd(html), href => PageContext.ResolveAgainst(Page, href));

        // Thousands of byline and date elements start captures for two or three sources only, each capped.
        scan.CapturesStarted.ShouldBeLessThanOrEqualTo(4 * MarkupScanner.MaxCapturesPerSource);
        var endTags = html.Split("</").Length - 1;
        scan.EndTagComparisons.ShouldBeLessThanOrEqualTo((long)endTags * MarkupScanner.MaxEndTagSearch);
        scan.Candidates.Items.GroupBy(c => c.Source).ShouldAllBe(g => g.Count() <= 4);

        var card = CardMerger.Merge(Page, "text/html", PageExtractor.Extract(html, Page).Candidates, embed: null);
        (card.Title?.Length ?? 0).ShouldBeLessThanOrEqualTo(TextNormalizer.MaxTitle);

        // A feed title or a <title> too long to be a site's name is not read as one (the regexes never see it).
        card.SiteName.ShouldBeNull();
    }
}
