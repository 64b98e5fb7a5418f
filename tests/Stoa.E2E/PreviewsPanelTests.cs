using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stoa.E2E;

public sealed class PreviewsPanelTests(StoaSite site) : BrowserTest(site)
{
    [Fact]
    public async Task A_pasted_url_of_a_local_page_renders_its_card_with_title_and_image()
    {
        var page = await NewPersonAsync();
        await page.OpenAsAsync("previewer");
        var panel = page.Locator("#previews");

        await panel.GetByLabel("Page URL").FillAsync(Site.Fixture.ArticleUrl.ToString());
        await panel.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();

        var card = panel.Locator(".link-card");
        await Expect(card.Locator(".link-card-title")).ToHaveTextAsync(FixtureSite.ArticleTitle);
        await Expect(card.Locator(".link-card-description")).ToHaveTextAsync(FixtureSite.ArticleDescription);
        var image = card.Locator("img.link-card-image");
        await Expect(image).ToHaveAttributeAsync("src", new Uri(Site.Fixture.BaseAddress, "/card.png").ToString());
        await Expect(image).ToHaveAttributeAsync("alt", "A gradient");
        // Loaded and decoded by the browser, not just present in the DOM.
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth === 600", await image.ElementHandleAsync());
        await Expect(panel.Locator(".errors")).ToBeHiddenAsync();
        await panel.ScreenshotAsync("previews-card");
        page.Problems().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_url_the_server_refuses_shows_its_error_code_and_detail()
    {
        var page = await NewPersonAsync();
        await page.OpenAsAsync("previewer");
        var panel = page.Locator("#previews");

        // A private address on an allowed port: the SSRF guard refuses it (only 127.0.0.1 is allowed in this run).
        await panel.GetByLabel("Page URL").FillAsync($"http://10.1.2.3:{Site.Fixture.Port}/internal");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();

        var errors = panel.Locator(".errors");
        await Expect(errors).ToBeVisibleAsync();
        await Expect(errors).ToHaveAttributeAsync("aria-live", "polite");
        await Expect(errors.Locator(".error-code")).ToHaveTextAsync("url_not_allowed");
        await Expect(panel.Locator(".link-card")).ToHaveCountAsync(0);
        await panel.ScreenshotAsync("previews-error");
    }

    [Fact]
    public async Task Running_out_of_the_rate_limit_shows_rate_limited_with_the_wait()
    {
        var page = await NewPersonAsync();
        await page.OpenAsAsync("impatient");
        var panel = page.Locator("#previews");
        await panel.GetByLabel("Page URL").FillAsync(Site.Fixture.ArticleUrl.ToString());
        var button = panel.GetByRole(AriaRole.Button, new() { Name = "Preview" });
        for (var i = 0; i < StoaSite.PreviewsBurst; i++)
        {
            await button.ClickAsync();
            await Expect(panel.Locator(".link-card-title")).ToHaveTextAsync(FixtureSite.ArticleTitle);
            await Expect(button).ToBeEnabledAsync();
        }

        await button.ClickAsync();
        await Expect(panel.Locator(".errors .error-code")).ToHaveTextAsync("rate_limited");
        await Expect(panel.Locator(".errors")).ToContainTextAsync("retry in");
        await panel.ScreenshotAsync("previews-rate-limited");
    }
}
