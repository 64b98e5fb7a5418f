using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stoa.E2E;

/// <summary>
/// The API reference at <c>/docs</c> works offline: every request the page makes goes to the node (requests to any
/// other host are blocked and recorded), the node answers each one, and the page shows the node's own operations.
/// </summary>
public sealed class ApiReferenceTests(StoaSite site) : BrowserTest(site)
{
    [Fact]
    public async Task The_reference_page_renders_the_document_from_this_node_alone()
    {
        var page = await NewPersonAsync();
        var elsewhere = new List<string>();
        var failed = new List<string>();
        await page.Context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "data" or "blob" || (url.Host == Site.BaseAddress.Host && url.Port == Site.BaseAddress.Port))
            {
                await route.ContinueAsync();
                return;
            }

            lock (elsewhere)
            {
                elsewhere.Add(route.Request.Url);
            }

            await route.AbortAsync();
        });
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (failed)
                {
                    failed.Add($"{response.Status} {response.Url}");
                }
            }
        };

        var answer = await page.GotoAsync("/docs");
        answer.ShouldNotBeNull();
        answer.Status.ShouldBe(200);
        answer.Headers["content-security-policy"].ShouldContain("default-src 'self'");

        // The summaries appear only once the bundle ran and read the node's document; the page renders the first
        // module's operations at once and lists every module in its sidebar.
        await Expect(page.GetByText("The calling app: its name and allowed web origins").First).ToBeVisibleAsync();
        foreach (var module in (string[])["previews", "docs", "comments", "quotes", "follows"])
        {
            await Expect(page.GetByText(module, new() { Exact = true }).First).ToBeVisibleAsync();
        }

        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.FullScreenshotAsync("api-reference");

        elsewhere.ShouldBeEmpty("the reference page asked hosts other than the node");
        failed.ShouldBeEmpty("requests of the reference page failed");
    }
}
