using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stoa.E2E;

public sealed class CommentsPanelTests(StoaSite site) : BrowserTest(site)
{
    [Fact]
    public async Task A_comment_posted_in_one_window_appears_in_the_other_with_replies_votes_and_likes_live()
    {
        var thread = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        var alice = await NewPersonAsync();
        var bob = await NewPersonAsync();
        await alice.OpenAsAsync("alice");
        await bob.OpenAsAsync("bob");
        await OpenThreadAsync(alice, thread);
        await OpenThreadAsync(bob, thread);

        // Bob posts; Alice's window shows it without a reload.
        var bobPanel = bob.Locator("#comments");
        await bobPanel.GetByLabel("Your comment (Markdown)").FillAsync("Hello from **bob**");
        await bobPanel.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        var inAlice = alice.Locator("#comments-list > .comment").Filter(new() { HasText = "Hello from bob" });
        await Expect(inAlice).ToHaveCountAsync(1);
        await Expect(inAlice.Locator(".comment-body strong")).ToHaveTextAsync("bob");
        await Expect(alice.Locator("#comments-summary")).ToHaveTextAsync("1 comment");

        // Alice replies, upvotes and likes it; Bob sees all three live.
        await inAlice.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        var replyBox = inAlice.GetByLabel("Your reply");
        await Expect(replyBox).ToBeFocusedAsync();
        await replyBox.FillAsync("A reply from alice");
        await inAlice.GetByRole(AriaRole.Button, new() { Name = "Post reply" }).ClickAsync();
        var upvote = inAlice.Locator(":scope > .comment-actions").GetByRole(AriaRole.Button, new() { Name = "Upvote" });
        await upvote.ClickAsync();
        await Expect(upvote).ToHaveAttributeAsync("aria-pressed", "true");
        var like = inAlice.Locator(":scope > .comment-actions .like");
        await like.ClickAsync();
        await Expect(like).ToHaveAttributeAsync("aria-pressed", "true");

        var inBob = bob.Locator("#comments-list > .comment").Filter(new() { HasText = "Hello from bob" });
        await Expect(inBob.Locator(".replies .comment")).ToContainTextAsync("A reply from alice");
        var bobActions = inBob.Locator(":scope > .comment-actions");
        await Expect(bobActions.Locator(".score")).ToHaveTextAsync("1");
        await Expect(bobActions.Locator(".likes")).ToHaveTextAsync("1");
        await Expect(bobActions.Locator(".reply-count")).ToHaveTextAsync("1");

        // Voting on one's own comment is refused by the API, and the page says so.
        await bobActions.GetByRole(AriaRole.Button, new() { Name = "Upvote" }).ClickAsync();
        await Expect(bobPanel.Locator(".errors .error-code")).ToHaveTextAsync("cannot_vote_own_comment");

        // The sort selector reloads the listing in the chosen order.
        await bobPanel.GetByLabel("Sort by").SelectOptionAsync("new");
        await Expect(inBob).ToHaveCountAsync(1);

        await alice.Locator("#comments").ScreenshotAsync("comments-alice");
        await bobPanel.ScreenshotAsync("comments-bob");
        alice.Problems().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_comment_over_the_length_limit_shows_body_too_long()
    {
        var page = await NewPersonAsync();
        await page.OpenAsAsync("carol");
        await OpenThreadAsync(page, "e2e-" + Guid.NewGuid().ToString("N")[..8]);
        var panel = page.Locator("#comments");
        await panel.GetByLabel("Your comment (Markdown)").FillAsync(new string('x', 10_001));
        await Expect(panel.Locator("#comments-body-count")).ToHaveTextAsync("10001 / 10000");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        await Expect(panel.Locator(".errors .error-code")).ToHaveTextAsync("body_too_long");
        await Expect(panel.Locator(".errors")).ToContainTextAsync("longer than 10000 characters");
    }

    private static async Task OpenThreadAsync(IPage page, string thread)
    {
        var panel = page.Locator("#comments");
        await panel.GetByLabel("Thread").FillAsync(thread);
        await panel.GetByLabel("Thread").PressAsync("Enter");
        // Events sent before the stream opens are not replayed: wait until the thread is live.
        await Expect(page.Locator("#comments-list")).ToHaveAttributeAsync("data-live", "true");
        await Expect(page.Locator("#comments-summary")).ToHaveTextAsync("0 comments");
    }
}
