using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stoa.E2E;

public sealed class QuotesPanelTests(StoaSite site) : BrowserTest(site)
{
    [Fact]
    public async Task The_ticker_changes_live_and_draws_a_sparkline()
    {
        var page = await NewPersonAsync();
        await page.OpenAsAsync("trader");
        var row = page.Locator("#quotes-rows [data-symbol='AAPL']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator("#quotes-state")).ToHaveTextAsync("Live");
        var firstSeq = long.Parse((await row.GetAttributeAsync("data-seq"))!, System.Globalization.CultureInfo.InvariantCulture);

        // The simulated exchange ticks twice a second: new quotes arrive over SSE without any reload.
        await page.WaitForFunctionAsync(
            "([row, seq]) => Number(row.dataset.seq) > seq && Number(row.querySelector('.sparkline').dataset.points) >= 3",
            new object[] { await row.ElementHandleAsync(), firstSeq });
        await Expect(row.Locator(".quote-price")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\$\d"));
        (await row.Locator(".sparkline polyline").GetAttributeAsync("points")).ShouldNotBeNullOrWhiteSpace();
        await page.Locator("#quotes").ScreenshotAsync("quotes-live");
        page.Problems().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_invalid_symbol_shows_the_api_error()
    {
        var page = await NewPersonAsync();
        await page.OpenAsAsync("trader");
        var panel = page.Locator("#quotes");
        await panel.GetByLabel("Symbols").FillAsync("AAPL,NOT A SYMBOL!");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Watch" }).ClickAsync();
        await Expect(panel.Locator(".errors .error-code")).ToHaveTextAsync("invalid_symbol");
    }
}
