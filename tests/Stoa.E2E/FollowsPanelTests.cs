using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stoa.E2E;

public sealed class FollowsPanelTests(StoaSite site) : BrowserTest(site)
{
    [Fact]
    public async Task Following_a_user_updates_the_counts_and_the_follower_list()
    {
        var target = "writer-" + Guid.NewGuid().ToString("N")[..6];
        var page = await NewPersonAsync();
        await page.OpenAsAsync("dave");
        var panel = page.Locator("#follows");
        await panel.GetByLabel("User").FillAsync(target);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(panel.Locator("#follows-followers")).ToHaveTextAsync("0");

        var follow = panel.GetByRole(AriaRole.Button, new() { Name = $"Follow {target}" });
        await follow.ClickAsync();
        await Expect(panel.Locator("#follows-followers")).ToHaveTextAsync("1");
        await Expect(panel.Locator("#follows-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(panel.Locator("#follows-list")).ToContainTextAsync("dave");

        // Following oneself is refused by the API; the panel shows the code.
        await panel.GetByLabel("User").FillAsync("dave");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Follow dave" }).ClickAsync();
        await Expect(panel.Locator(".errors .error-code")).ToHaveTextAsync("cannot_follow_self");
        await panel.ScreenshotAsync("follows-self-error");
    }
}
