using Stoa.Previews.Core;
using Stoa.Previews.Extraction;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

/// <summary>The bundled oEmbed provider registry, and oEmbed and manifest requests going through the SSRF-safe fetcher.</summary>
public sealed class OEmbedRegistryTests
{
    private readonly FixtureServer _server;

    public OEmbedRegistryTests(FixtureServer server)
    {
        _server = server;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://www.youtube.com/watch?v=abc", "https://www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3Dabc&format=json", "YouTube")]
    [InlineData("https://m.youtube.com/watch?v=abc", "https://www.youtube.com/oembed?url=", "YouTube")]
    [InlineData("https://youtube.com/shorts/abc", "https://www.youtube.com/oembed?url=", "YouTube")]
    [InlineData("https://youtu.be/abc", "https://www.youtube.com/oembed?url=", "YouTube")]
    [InlineData("https://vimeo.com/891234567", "https://vimeo.com/api/oembed.json?url=", "Vimeo")]
    [InlineData("https://twitter.com/jack/status/20", "https://publish.twitter.com/oembed?url=", "Twitter")]
    [InlineData("https://x.com/jack/status/20", "https://publish.x.com/oembed?url=", "X")]
    [InlineData("https://open.spotify.com/track/4xQp8y3Zk2M1n0Lr7Ws6Tb", "https://open.spotify.com/oembed?url=", "Spotify")]
    [InlineData("https://soundcloud.com/artist/track", "https://soundcloud.com/oembed?url=", "SoundCloud")]
    [InlineData("https://www.tiktok.com/@user/video/123", "https://www.tiktok.com/oembed?url=", "TikTok")]
    [InlineData("https://www.ted.com/talks/some_talk", "https://www.ted.com/services/v1/oembed.json?url=", "TED")]
    [InlineData("https://www.flickr.com/photos/someone/123/", "https://www.flickr.com/services/oembed/?url=", "Flickr")]
    [InlineData("https://www.reddit.com/r/dotnet/comments/abc/title/", "https://www.reddit.com/oembed?url=", "Reddit")]
    [InlineData("https://www.youtube-nocookie.com/embed/abc", "https://www.youtube.com/oembed?url=", "YouTube")]
    [InlineData("https://m.soundcloud.com/artist/track", "https://soundcloud.com/oembed?url=", "SoundCloud")]
    [InlineData("https://tiktok.com/@user/video/123", "https://www.tiktok.com/oembed?url=", "TikTok")]
    public void Known_providers_are_found_without_a_discovery_link(string page, string endpointPrefix, string provider)
    {
        var found = OEmbedRegistry.Bundled.Find(new Uri(page));
        found.ShouldNotBeNull();
        found.Value.Url.AbsoluteUri.ShouldStartWith(endpointPrefix);
        found.Value.Provider.ShouldBe(provider);
    }

    [Theory]
    [InlineData("https://example.com/watch?v=abc")]
    [InlineData("https://www.youtube.com/feed/trending")]
    [InlineData("https://open.spotify.com.example/track/abc")]
    [InlineData("https://notyoutube.com/watch?v=abc")]
    [InlineData("ftp://www.youtube.com/watch?v=abc")]
    public void Other_urls_have_no_provider(string page)
    {
        OEmbedRegistry.Bundled.Find(new Uri(page)).ShouldBeNull();
    }

    [Fact]
    public void Endpoints_without_json_and_with_wildcards_are_skipped()
    {
        var registry = OEmbedRegistry.Parse("""
            [
              { "provider_name": "XmlOnly", "endpoints": [{ "schemes": ["https://xml.example/*"], "url": "https://xml.example/oembed", "formats": ["xml"] }] },
              { "provider_name": "Wild", "endpoints": [{ "schemes": ["https://*.wild.example/*"], "url": "https://*.wild.example/oembed" }] },
              { "provider_name": "NoSchemes", "endpoints": [{ "url": "https://none.example/oembed", "discovery": true }] }
            ]
            """);
        registry.Find(new Uri("https://xml.example/a")).ShouldBeNull();
        registry.Find(new Uri("https://a.wild.example/a")).ShouldBeNull();
        registry.Find(new Uri("https://none.example/a")).ShouldBeNull();
    }

    [Theory]
    [InlineData("https://*.flickr.com/photos/*", "flickr.com/photos/a", true)]
    [InlineData("https://*.flickr.com/photos/*", "www.flickr.com/photos/a", true)]
    [InlineData("https://*.flickr.com/photos/*", "a.b.flickr.com/photos/a", false)]
    [InlineData("https://*.*.flickr.com/*/*", "a.b.flickr.com/x/y", true)]
    [InlineData("https://*.*.flickr.com/*/*", "a.b.flickr.com/x", false)]
    [InlineData("https://cdn*.example.com/v/*", "cdn-eu.example.com/v/1", true)]
    [InlineData("https://cdn*.example.com/v/*", "img.example.com/v/1", false)]
    [InlineData("https://cdn*.example.com/v/*", "cdn.x.example.com/v/1", false)]
    [InlineData("http://127.0.0.1:8080/p*", "127.0.0.1:8080/page", true)]
    [InlineData("http://127.0.0.1:8080/p*", "127.0.0.1:8081/page", false)]
    [InlineData("https://youtube.com/watch*", "YouTube.com/Watch?v=1", true)]
    [InlineData("https://a.example/a*a", "a.example/a", false)]
    [InlineData("https://a.example/a*a", "a.example/aa", true)]
    [InlineData("https://a.example/*/posts/*/photos/*", "a.example/u/posts/1/photos/2", true)]
    [InlineData("https://a.example/*/posts/*/photos/*", "a.example/u/photos/1/posts/2", false)]
    [InlineData("https://a.example/exact", "a.example/exact", true)]
    [InlineData("https://a.example/exact", "a.example/exact/more", false)]
    public void A_scheme_matches_as_the_registry_means_it(string scheme, string withoutScheme, bool matches)
    {
        OEmbedScheme.Parse(scheme)!.Matches(withoutScheme).ShouldBe(matches);
    }

    [Fact]
    public void The_bundled_registry_is_the_whole_public_one()
    {
        // 850 schemes in oembed-providers 1.0.20260604, a few of them not http(s) (spotify:*); a partial seed had 40.
        OEmbedRegistry.Bundled.SchemeCount.ShouldBeGreaterThan(800);
    }

    [Fact]
    public void A_crafted_url_against_a_scheme_with_many_wildcards_is_no_match_not_a_timeout()
    {
        // The shape of backtracks.fm/*/*/*/*/e/*/* in the registry, against 2,000 segments without "/e/": a
        // backtracking matcher tries every way to split them, far beyond any timeout.
        var registry = OEmbedRegistry.Parse("""
            [{ "provider_name": "Crafted", "endpoints": [{ "schemes": ["https://crafted.example/*/*/*/*/e/*/*"], "url": "https://crafted.example/oembed" }] }]
            """);
        registry.Find(new Uri("https://crafted.example/" + string.Concat(Enumerable.Repeat("a/", 2000)))).ShouldBeNull();
        registry.Find(new Uri("https://crafted.example/a/b/c/d/e/f/g"))!.Value.Provider.ShouldBe("Crafted");
    }

    [Fact]
    public async Task A_registry_endpoint_is_fetched_through_the_safe_fetcher()
    {
        var registry = OEmbedRegistry.Parse($$"""
            [{ "provider_name": "Local", "endpoints": [{ "schemes": ["{{_server.BaseUrl}}/pages/og-only*"], "url": "{{_server.BaseUrl}}/oembed/video" }] }]
            """);
        using var withRegistry = new PreviewService(new PreviewOptions { AllowedNetworks = ["127.0.0.1/32"], AllowedPorts = [_server.Port] }) { Registry = registry };
        var inspection = await withRegistry.InspectAsync(_server.Url("/pages/og-only"), null, null, offline: false, Ct);
        inspection.Facts.OEmbedSource.ShouldBe("registry");
        inspection.Facts.OEmbedUrl!.ShouldStartWith(_server.BaseUrl + "/oembed/video?url=");
        inspection.Card.Embed.ShouldNotBeNull();
        inspection.Card.Embed.ProviderName.ShouldBe("ExampleTube");
    }

    [Fact]
    public async Task A_registry_endpoint_on_a_forbidden_address_is_not_fetched()
    {
        var registry = OEmbedRegistry.Parse($$"""
            [{ "provider_name": "Metadata", "endpoints": [{ "schemes": ["{{_server.BaseUrl}}/pages/og-only*"], "url": "http://169.254.169.254/latest/meta-data/" }] }]
            """);
        using var service = new PreviewService(new PreviewOptions { AllowedNetworks = ["127.0.0.1/32"], AllowedPorts = [80, _server.Port] }) { Registry = registry };
        var card = (await service.GetAsync(_server.Url("/pages/og-only"), Ct)).Card;
        card.Title.ShouldBe("Open Graph Title");
        card.Embed.ShouldBeNull();
    }

    [Fact]
    public async Task A_manifest_supplies_the_logo_when_the_page_names_no_better_one()
    {
        using var service = _server.CreateService();
        var inspection = await service.InspectAsync(_server.Url("/pages/manifest-icons"), null, null, offline: false, Ct);
        inspection.Facts.ManifestUrl.ShouldBe(_server.BaseUrl + "/manifests/app.json");

        // The largest icon not meant for masking only; a relative src resolves against the manifest.
        inspection.Card.Logo.ShouldBe(_server.BaseUrl + "/icons/icon-192.png");
        inspection.Card.Favicon.ShouldBe(_server.BaseUrl + "/favicon-16.png");
        _server.Hits("/manifests/app.json").ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_manifest_on_a_forbidden_address_is_not_fetched_and_the_favicon_is_the_logo()
    {
        using var service = _server.CreateService();
        var card = (await service.GetAsync(_server.Url("/pages/manifest-forbidden"), Ct)).Card;
        card.Logo.ShouldBe(_server.BaseUrl + "/favicon-16.png");
    }

    [Fact]
    public async Task Manifests_can_be_turned_off()
    {
        using var service = _server.CreateService(o => o.FetchManifest = false);
        var inspection = await service.InspectAsync(_server.Url("/pages/manifest-icons"), null, null, offline: false, Ct);
        inspection.Facts.ManifestUrl.ShouldBeNull();
        inspection.Card.Logo.ShouldBe(_server.BaseUrl + "/favicon-16.png");
    }
}
