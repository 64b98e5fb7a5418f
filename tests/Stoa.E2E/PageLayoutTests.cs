using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stoa.E2E;

/// <summary>The page as a whole: every panel at desktop and phone widths, labels, keyboard use, a clean console.</summary>
public sealed class PageLayoutTests(StoaSite site) : BrowserTest(site)
{
    private static readonly string[] s_panels = ["previews", "quotes", "docs", "comments", "follows"];

    [Theory]
    [InlineData(1280, 900, "desktop")]
    [InlineData(375, 812, "375px")]
    public async Task Every_panel_renders_without_horizontal_scrolling_and_is_screenshotted(int width, int height, string label)
    {
        var page = await NewPersonAsync(width, height);
        await page.OpenAsAsync("viewer");
        await Expect(page.Locator("#quotes-rows [data-symbol='MSFT']")).ToBeVisibleAsync();
        await Expect(page.Locator("#docs-state")).ToHaveTextAsync("Saved");
        await Expect(page.Locator("#follows-followers")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await page.Locator("#preview-url").FillAsync(Site.Fixture.ArticleUrl.ToString());
        await page.Locator("#preview-url").PressAsync("Enter");
        await Expect(page.Locator(".link-card-title")).ToHaveTextAsync(FixtureSite.ArticleTitle);
        await page.GetByLabel("Shared text", new() { Exact = true }).FillAsync("Typed at " + label);

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        overflow.ShouldBeLessThanOrEqualTo(0, $"the page scrolls sideways at {width} px");
        foreach (var panel in s_panels)
        {
            var box = await page.Locator($"#{panel}").BoundingBoxAsync();
            box.ShouldNotBeNull(panel);
            ((double)box.X + box.Width).ShouldBeLessThanOrEqualTo(width + 0.5, $"{panel} overflows at {width} px");
            await page.Locator($"#{panel}").ScreenshotAsync($"{panel}-{label}");
        }

        await page.FullScreenshotAsync($"page-{label}");
        page.Problems().ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_input_has_a_label_and_the_page_is_keyboard_operable()
    {
        var page = await NewPersonAsync();
        await page.OpenAsAsync("keyboard");

        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, textarea')]
              .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
              .map(e => e.id || e.outerHTML)
            """);
        unlabelled.ShouldBeEmpty();
        (await page.Locator("[onclick], [onsubmit], [oninput], [onchange]").CountAsync()).ShouldBe(0, "no inline handlers (the CSP forbids them)");
        (await page.Locator("div[role=button], span[role=button], a:not([href])").CountAsync()).ShouldBe(0, "buttons are buttons");

        // Keyboard only, from a fresh load (the sign-in click moved focus): the first Tab reaches the skip link.
        await page.ReloadAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(".skip-link")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#preview-url").FocusAsync();
        await page.Keyboard.TypeAsync(Site.Fixture.ArticleUrl.ToString());
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".link-card-title")).ToHaveTextAsync(FixtureSite.ArticleTitle);

        // Focus is visible: the focused control draws an outline.
        await page.Locator("#preview-url").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        outline.ShouldNotBe("none");
        page.Problems().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_page_is_served_with_its_content_security_policy()
    {
        var page = await NewPersonAsync();
        var response = await page.GotoAsync("/");
        response.ShouldNotBeNull();
        var headers = await response.AllHeadersAsync();
        headers["content-security-policy"].ShouldContain("script-src 'self'");
        headers["x-content-type-options"].ShouldBe("nosniff");
    }
}
