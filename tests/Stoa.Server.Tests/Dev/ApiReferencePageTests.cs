using System.Net;
using System.Text.RegularExpressions;
using Stoa.Testing;

namespace Stoa.Server.Tests.Dev;

/// <summary>
/// <c>/docs</c>: Scalar's reference page, served with everything it loads by the node itself (the browser check that
/// nothing else is asked for is tests/Stoa.E2E/ApiReferenceTests).
/// </summary>
public sealed partial class ApiReferencePageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_loads_only_local_urls_that_the_node_serves_under_its_own_policy()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var page = await client.GetAsync("/docs/", Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(ApiReferencePage.ContentSecurityPolicy);
        var html = await page.Content.ReadAsStringAsync(Ct);

        var urls = Urls().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        urls.ShouldContain("scalar.js");
        urls.ShouldContain("openapi/v1.json");
        foreach (var url in urls)
        {
            Uri.TryCreate(url, UriKind.Absolute, out var absolute).ShouldBeFalse($"{url} names another host");
            // The page resolves the document against the origin, its own files against /docs/.
            var path = url.StartsWith("openapi/", StringComparison.Ordinal) ? "/" + url : "/docs/" + url.TrimStart('.', '/');
            var asset = await client.GetAsync(path, Ct);
            asset.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }

        html.ShouldContain("\"withDefaultFonts\":false");
        html.ShouldContain("\"telemetry\":false");
        (await client.GetAsync("/healthz", Ct)).Headers.Contains("Content-Security-Policy").ShouldBeFalse("the page's policy is for /docs only");
    }

    [Fact]
    public async Task The_demo_page_links_the_reference()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();
        (await client.GetStringAsync("/", Ct)).ShouldContain("href=\"/docs\"");
    }

    // src="…", href="…", and the "url" of each OpenAPI source in Scalar's configuration.
    [GeneratedRegex(@"(?:src|href)=""(?<url>[^""]+)""|""url"":""(?<url>[^""]+)""|'(?<url>\./[^']+)'|""favicon"":""(?<url>[^""]+)""")]
    private static partial Regex Urls();
}
