using System.Net;
using Stoa.Testing;

namespace Stoa.Server.Tests.Dev;

/// <summary>The web page at <c>/</c>: served from the copy of <c>web/</c> next to the executable, with its own CSP.</summary>
public sealed class WebPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_and_its_modules_are_served_with_the_security_headers_and_a_csp()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var page = await client.GetAsync("/", Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        (await page.Content.ReadAsStringAsync(Ct)).ShouldContain("js/main.js");
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(WebPage.ContentSecurityPolicy);
        page.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        page.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");

        foreach (var path in (string[])["/js/main.js", "/js/api.js", "/js/stoa-client.js", "/css/site.css"])
        {
            var file = await client.GetAsync(path, Ct);
            file.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            file.Headers.Contains("Content-Security-Policy").ShouldBeTrue(path);
        }

        (await client.GetAsync("/js/main.js", Ct)).Content.Headers.ContentType?.MediaType.ShouldBe("text/javascript");
    }

    [Fact]
    public async Task The_api_keeps_its_own_headers_and_unknown_files_are_problems()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();
        var health = await client.GetAsync("/healthz", Ct);
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        health.Headers.Contains("Content-Security-Policy").ShouldBeFalse("the page's policy is for the page's responses only");

        await (await client.GetAsync("/missing.js", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
