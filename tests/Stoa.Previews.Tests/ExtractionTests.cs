using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

/// <summary>The fallback chain Open Graph → Twitter → JSON-LD → oEmbed → HTML, over fixture pages served locally.</summary>
public sealed class ExtractionTests : IDisposable
{
    private readonly FixtureServer _server;
    private readonly PreviewService _service;

    public ExtractionTests(FixtureServer server)
    {
        _server = server;
        _service = server.CreateService();
    }

    public void Dispose() => _service.Dispose();

    private async Task<LinkCard> Card(string page)
    {
        var result = await _service.GetAsync(_server.Url("/pages/" + page), TestContext.Current.CancellationToken);
        return result.Card;
    }

    private string Local(string path) => _server.BaseUrl + path;

    [Fact]
    public async Task Open_graph_only()
    {
        var card = await Card("og-only");
        card.Url.ShouldBe(Local("/pages/og-only"));
        card.Title.ShouldBe("Open Graph Title");
        card.Description.ShouldBe("Described by Open Graph.");
        card.CanonicalUrl.ShouldBe("https://example.com/articles/og");
        card.SiteName.ShouldBe("Example News");
        card.Type.ShouldBe("article");
        card.Locale.ShouldBe("en-GB");
        card.Author.ShouldBe("Jane Writer");
        card.PublishedAt.ShouldBe(new DateTimeOffset(2024, 3, 5, 7, 30, 0, TimeSpan.Zero));
        card.Images.ShouldBe([new LinkImage("https://cdn.example.com/og.jpg", 1200, 630, "A harbour at dawn")]);
        card.Favicon.ShouldBe(Local("/favicon.ico"));
        card.ContentType.ShouldBe("text/html");
        card.Embed.ShouldBeNull();
    }

    [Fact]
    public async Task Open_graph_structured_media_arrays()
    {
        var card = await Card("og-structured");
        card.Images.ShouldBe(
        [
            new LinkImage("https://cdn.example.com/first.jpg", 800, 600, null, "image/jpeg"),
            new LinkImage(Local("/second.png"), null, null, "Second image"),
            new LinkImage("https://cdn.example.com/third.webp", 300),
        ]);
        card.Videos.ShouldBe([new LinkVideo("https://video.example.com/v.mp4", 1280, 720, "video/mp4")]);
        card.Audios.ShouldBe([new LinkAudio("https://audio.example.com/a.mp3", "audio/mpeg")]);
    }

    [Fact]
    public async Task Twitter_card_only()
    {
        var card = await Card("twitter-only");
        card.Title.ShouldBe("Twitter Card Title");
        card.Description.ShouldBe("Described by the Twitter card.");
        card.Author.ShouldBe("@jwriter");
        card.Images.ShouldBe([new LinkImage("https://cdn.example.com/tw.png", null, null, "Bird on a wire")]);
    }

    [Fact]
    public async Task Twitter_player_card_is_a_video()
    {
        var card = await Card("twitter-player");
        card.Type.ShouldBe("video");
        card.Videos.ShouldBe([new LinkVideo("https://player.example.com/embed/42", 640, 360, "text/html")]);
        card.Images.Single().Url.ShouldBe(Local("/poster.jpg"));
    }

    [Fact]
    public async Task Json_ld_news_article()
    {
        var card = await Card("jsonld-article");
        card.Title.ShouldBe("Der JSON-LD Artikel");
        card.Description.ShouldBe("Beschreibung aus JSON-LD.");
        card.CanonicalUrl.ShouldBe("https://news.example.de/artikel/1");
        card.Type.ShouldBe("article");
        card.Locale.ShouldBe("de-DE");
        card.Author.ShouldBe("Erika Muster, Max Muster");
        card.PublishedAt.ShouldBe(new DateTimeOffset(2023, 11, 2, 10, 0, 0, TimeSpan.Zero));
        card.SiteName.ShouldBe("Beispiel Zeitung");
        card.Logo.ShouldBe("https://news.example.de/logo.png");
        card.Images.ShouldBe([new LinkImage(Local("/img/lead.jpg"), 1600, 900, "Ein Bild")]);
    }

    [Fact]
    public async Task Json_ld_product_with_type_array()
    {
        var card = await Card("jsonld-product");
        card.Title.ShouldBe("Trail Shoe 2");
        card.Type.ShouldBe("product");
        card.Description.ShouldBe("A light trail running shoe.");
        card.Images.Select(i => i.Url).ShouldBe(["https://shop.example.com/shoe-1.jpg", "https://shop.example.com/shoe-2.jpg"]);
        card.Logo.ShouldBe("https://shop.example.com/brand.svg");
    }

    [Fact]
    public async Task Json_ld_video_object()
    {
        var card = await Card("jsonld-video");
        card.Type.ShouldBe("video");
        card.Title.ShouldBe("How to fold a crane");
        card.PublishedAt.ShouldBe(new DateTimeOffset(2022, 1, 15, 0, 0, 0, TimeSpan.Zero));
        card.Videos.ShouldBe([new LinkVideo("https://video.example.com/crane.mp4", 1920, 1080, "video/mp4")]);
        card.Images.Select(i => i.Url).ShouldBe(["https://video.example.com/thumb-16x9.jpg", "https://video.example.com/thumb-4x3.jpg"]);
    }

    [Fact]
    public async Task Json_ld_graph_picks_the_posting_and_the_site()
    {
        var card = await Card("jsonld-graph");
        card.Title.ShouldBe("Graph posting headline");
        card.Description.ShouldBe("From inside an @graph.");
        card.Type.ShouldBe("article");
        card.CanonicalUrl.ShouldBe("https://blog.example.org/post/");
        card.Author.ShouldBe("Ada Blogger");
        card.SiteName.ShouldBe("The Example Blog");
        card.Logo.ShouldBe("https://blog.example.org/logo.png");
        card.PublishedAt.ShouldBe(new DateTimeOffset(2021, 6, 1, 10, 0, 0, TimeSpan.Zero));
        card.Images.Single().Url.ShouldBe("https://blog.example.org/cover.png");
    }

    [Fact]
    public async Task Broken_json_ld_block_does_not_hide_a_valid_one()
    {
        var card = await Card("jsonld-broken");
        card.Title.ShouldBe("The valid second block");
        card.Description.ShouldBe("Survives the broken one.");
        card.Type.ShouldBe("article");
    }

    [Fact]
    public async Task Json_ld_in_the_body_is_read_when_the_head_has_no_image()
    {
        var card = await Card("jsonld-in-body");
        card.Title.ShouldBe("LD in body");
        card.Images.Single().Url.ShouldBe("https://cdn.example.com/from-body-ld.jpg");
    }

    [Fact]
    public async Task Reading_stops_at_a_head_that_has_every_field()
    {
        var card = await Card("og-image-then-body");
        card.Title.ShouldBe("Stops at head");
        card.Type.ShouldBe("website");
        card.Images.Single().Url.ShouldBe(Local("/head-image.jpg"));
    }

    [Fact]
    public async Task Plain_html_only()
    {
        var card = await Card("html-only");
        card.Title.ShouldBe("Plain HTML page");
        card.Description.ShouldBe("Only plain HTML metadata here.");
        card.Author.ShouldBe("Pat Plain");
        card.PublishedAt.ShouldBe(new DateTimeOffset(2020, 2, 29, 0, 0, 0, TimeSpan.Zero));
        card.CanonicalUrl.ShouldBe(Local("/canonical/path"));
        card.Favicon.ShouldBe(Local("/favicon-32.png"));
        card.ThemeColor.ShouldBe("#336699");
        card.Locale.ShouldBe("en-US");
        card.Type.ShouldBe("website");
        card.Images.ShouldBe([new LinkImage(Local("/images/photo.jpg"), 640, 480, "A photo")]);
    }

    [Fact]
    public async Task Base_href_rebases_relative_urls()
    {
        var card = await Card("base-href");
        card.Images.Single().Url.ShouldBe("https://static.example.net/assets/img/cover.jpg");
        card.Favicon.ShouldBe("https://static.example.net/icons/fav.ico");
        card.CanonicalUrl.ShouldBe("https://static.example.net/root-relative");
    }

    [Fact]
    public async Task Relative_urls_resolve_against_the_final_url_and_unsafe_schemes_are_dropped()
    {
        var card = await Card("relative-urls");
        card.CanonicalUrl.ShouldBe(Local("/moved/here?x=1#frag"));
        card.Images.Select(i => i.Url).ShouldBe(
        [
            // Protocol-relative takes the page's scheme, and the fixture server speaks http.
            "http://cdn.example.com/protocol-relative.png",
            Local("/pages/same-dir.png"),
            Local("/root.png"),
        ]);
        card.Videos.Single().Url.ShouldBe("https://example.com/with%20spaces.mp4");
        card.Logo.ShouldBe(Local("/pages/touch.png"));
    }

    [Fact]
    public async Task Relative_urls_resolve_against_the_url_after_redirects()
    {
        var result = await _service.GetAsync(
            _server.Url("/redirect?to=/pages/relative-urls"), TestContext.Current.CancellationToken);
        result.Card.Url.ShouldBe(Local("/pages/relative-urls"));
        result.Card.Images[1].Url.ShouldBe(Local("/pages/same-dir.png"));
    }

    [Fact]
    public async Task Entities_are_decoded_once_and_whitespace_normalised()
    {
        var card = await Card("entities");
        card.Title.ShouldBe("Tom & Jerry's été — \"quoted\"");

        // "&amp;amp;" decodes once, to "&amp;": decoding again would corrupt pages that mean it (a post about entities).
        card.Description.ShouldBe("Double &amp; encoded &lt;b&gt; and whitespace tabs nbsp 😀 zerowidth");
        card.SiteName.ShouldBeNull();
    }

    [Fact]
    public async Task Lazy_image_uses_data_src_over_a_data_uri_placeholder()
    {
        var card = await Card("lazy-images");
        card.Images.ShouldBe([new LinkImage(Local("/real/lazy-one.jpg"), 600, 400, "Lazy one")]);
    }

    [Fact]
    public async Task Lazy_image_uses_data_lazy_src_over_a_placeholder_file()
    {
        var card = await Card("lazy-lazysrc");
        card.Images.Single().Url.ShouldBe(Local("/real/lazy-two.jpg"));
    }

    [Fact]
    public async Task Noscript_image_is_found_when_the_visible_one_is_a_placeholder()
    {
        var card = await Card("lazy-noscript");
        card.Images.ShouldBe([new LinkImage(Local("/real/noscript.jpg"), null, null, "From noscript")]);
    }

    [Fact]
    public async Task Tracking_pixels_and_hidden_images_are_skipped()
    {
        var card = await Card("tracking-pixels");
        card.Images.ShouldBe([new LinkImage(Local("/content/real-photo.jpg"), null, null, "The real photo")]);
    }

    [Fact]
    public async Task Largest_icon_is_the_favicon_and_the_touch_icon_the_logo()
    {
        var card = await Card("icons");
        card.Favicon.ShouldBe(Local("/icon-192.png"));
        card.Logo.ShouldBe(Local("/touch-180.png"));
    }

    [Fact]
    public async Task Touch_icon_serves_as_favicon_when_it_is_the_only_icon()
    {
        var card = await Card("icon-apple-only");
        card.Favicon.ShouldBe(Local("/apple-precomposed.png"));
    }

    [Fact]
    public async Task Favicon_defaults_to_the_origin_favicon_ico()
    {
        var card = await Card("no-icons");
        card.Favicon.ShouldBe(Local("/favicon.ico"));
        card.Logo.ShouldBe(Local("/favicon.ico"));
        card.Images.ShouldBeEmpty();
    }

    [Fact]
    public async Task OEmbed_video_is_discovered_fetched_and_merged()
    {
        var card = await Card("oembed-video");
        card.Title.ShouldBe("oEmbed video title");
        card.Author.ShouldBe("Channel Person");
        card.SiteName.ShouldBe("ExampleTube");
        card.Type.ShouldBe("video");
        card.Images.ShouldBe([new LinkImage("https://video.example.com/thumb.jpg", 480, 360)]);
        card.Embed.ShouldNotBeNull();
        card.Embed.Type.ShouldBe("video");
        card.Embed.ProviderName.ShouldBe("ExampleTube");
        card.Embed.ProviderUrl.ShouldBe("https://video.example.com/");
        card.Embed.Html!.ShouldStartWith("<iframe");
        card.Embed.Width.ShouldBe(560);
        card.Embed.Height.ShouldBe(315);
    }

    [Fact]
    public async Task OEmbed_photo_supplies_the_image_and_no_html()
    {
        var card = await Card("oembed-photo");
        card.Title.ShouldBe("A photo via oEmbed");
        card.Type.ShouldBe("image");
        card.Images.ShouldBe([new LinkImage(Local("/photos/large.jpg"), 1024, 768, "A photo via oEmbed")]);
        card.Embed!.Html.ShouldBeNull();
    }

    [Fact]
    public async Task OEmbed_endpoint_on_a_forbidden_address_is_not_fetched_and_the_card_survives()
    {
        var card = await Card("oembed-forbidden");
        card.Title.ShouldBe("oEmbed pointing at metadata");
        card.Embed.ShouldBeNull();
    }

    [Fact]
    public async Task Slow_oembed_endpoint_costs_the_embed_not_the_card()
    {
        using var service = _server.CreateService(o => o.Timeout = TimeSpan.FromSeconds(2));
        var card = (await service.GetAsync(_server.Url("/pages/oembed-slow"), TestContext.Current.CancellationToken)).Card;
        card.Title.ShouldBe("Page with a slow oEmbed endpoint");
        card.Embed.ShouldBeNull();
    }

    [Fact]
    public async Task OEmbed_can_be_turned_off()
    {
        using var service = _server.CreateService(o => o.FetchOEmbed = false);
        var card = (await service.GetAsync(_server.Url("/pages/oembed-video"), TestContext.Current.CancellationToken)).Card;
        card.Title.ShouldBe("Video page HTML title");
        card.Embed.ShouldBeNull();
    }

    [Fact]
    public async Task Each_field_comes_from_the_first_source_that_has_it()
    {
        var card = await Card("precedence");
        card.Title.ShouldBe("OG title");
        card.Description.ShouldBe("Twitter description");
        card.Author.ShouldBe("LD Author");
        card.Type.ShouldBe("article");
        card.PublishedAt.ShouldBe(new DateTimeOffset(2019, 5, 5, 0, 0, 0, TimeSpan.Zero));
        card.Locale.ShouldBe("fr");
        card.Images.ShouldBe(
        [
            new LinkImage("https://cdn.example.com/shared.jpg", 1000, null, "Alt from Twitter"),
            new LinkImage("https://cdn.example.com/ld.jpg"),
        ]);
    }

    [Fact]
    public async Task Broken_unclosed_html_still_yields_a_card()
    {
        var card = await Card("broken-unclosed");
        card.Title.ShouldBe("Broken <b>markup");
        card.Description.ShouldBe("Unclosed things follow");
    }

    [Fact]
    public async Task Long_texts_and_image_lists_are_capped()
    {
        var card = await Card("long-texts");
        card.Title!.Length.ShouldBeLessThanOrEqualTo(300);
        card.Title.ShouldEndWith("…");
        card.Description!.Length.ShouldBeLessThanOrEqualTo(1000);
        card.Description.ShouldEndWith("…");
        card.Images.Count.ShouldBe(8);
        card.Images[0].Url.ShouldBe(Local("/i1.jpg"));
    }

    [Fact]
    public async Task Theme_color_prefers_the_light_scheme_and_locale_comes_from_html_lang()
    {
        var card = await Card("theme-locale");
        card.ThemeColor.ShouldBe("#ffcc00");
        card.Locale.ShouldBe("pt-BR");
    }

    [Fact]
    public async Task Theme_color_and_locale_that_are_not_what_they_claim_are_dropped()
    {
        var card = await Card("theme-hostile");
        card.ThemeColor.ShouldBeNull();
        card.Locale.ShouldBeNull();
    }

    [Fact]
    public async Task Meta_keys_are_case_insensitive_and_read_from_name_or_property()
    {
        var card = await Card("uppercase-and-name");
        card.Title.ShouldBe("OG via name attribute");
        card.Description.ShouldBe("Upper-case property");
        card.Images.Single().Url.ShouldBe(Local("/twitter-via-property.png"));
    }

    [Fact]
    public async Task Html_video_and_audio_elements()
    {
        var card = await Card("html-media");
        card.Videos.ShouldBe([new LinkVideo(Local("/media/movie.webm"), 320, 240, "video/webm")]);
        card.Audios.ShouldBe([new LinkAudio(Local("/media/podcast.ogg"), "audio/ogg")]);
    }

    [Fact]
    public async Task Published_date_from_an_article_time_element()
    {
        var card = await Card("html-dates");
        card.PublishedAt.ShouldBe(new DateTimeOffset(2018, 7, 4, 20, 20, 0, TimeSpan.Zero));
    }

    [Fact]
    public void There_are_at_least_thirty_fixtures()
    {
        Directory.GetFiles(FixtureServer.FixturesDirectory, "*", SearchOption.AllDirectories).Length.ShouldBeGreaterThanOrEqualTo(30);
    }
}
