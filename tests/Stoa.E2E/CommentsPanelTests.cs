using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stoa.E2E;

public sealed class CommentsPanelTests(StoaSite site) : BrowserTest(site)
{
    [Fact]
    public async Task A_comment_posted_in_one_window_appears_in_the_other_with_replies_votes_and_likes_live()
    {
        var (alice, bob) = await AliceAndBobOnANewThreadAsync();

        // Bob posts; Alice's window shows it without a reload.
        var bobPanel = bob.Locator("#comments");
        await PostCommentAsync(bob, "Hello from **bob**");
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
        // As a person would, vote once the reply shows: the form closing moves the page under the pointer.
        await Expect(inAlice.Locator(".replies .comment")).ToContainTextAsync("A reply from alice");
        var inBob = bob.Locator("#comments-list > .comment").Filter(new() { HasText = "Hello from bob" });
        var bobActions = inBob.Locator(":scope > .comment-actions");
        // The reply moves the parent's count in both windows before anyone votes (comment.counts for the parent).
        await Expect(inAlice.Locator(":scope > .comment-actions .reply-count")).ToHaveTextAsync("1");
        await Expect(bobActions.Locator(".reply-count")).ToHaveTextAsync("1");
        var upvote = inAlice.Locator(":scope > .comment-actions").GetByRole(AriaRole.Button, new() { Name = "Upvote" });
        await ClickAndExpectOkAsync(alice, upvote, "/vote");
        await Expect(upvote).ToHaveAttributeAsync("aria-pressed", "true");
        var like = inAlice.Locator(":scope > .comment-actions .like");
        await ClickAndExpectOkAsync(alice, like, "/like");
        await Expect(like).ToHaveAttributeAsync("aria-pressed", "true");

        await Expect(inBob.Locator(".replies .comment")).ToContainTextAsync("A reply from alice");
        await Expect(bobActions.Locator(".score")).ToHaveTextAsync("1");
        await Expect(bobActions.Locator(".likes")).ToHaveTextAsync("1");

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

    [Fact]
    public async Task A_vote_answered_while_an_older_listing_is_on_its_way_stays_pressed_when_that_listing_paints()
    {
        var (alice, bob) = await AliceAndBobOnANewThreadAsync();
        await PostCommentAsync(bob, "Vote on me");
        var inAlice = alice.Locator("#comments-list > .comment").Filter(new() { HasText = "Vote on me" });
        await Expect(inAlice).ToHaveCountAsync(1);

        // Alice's next listing is read by the server now, before her vote, and reaches the page only after it: a slow
        // network, or a stream reconnecting just as she clicks.
        var answered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await alice.RouteAsync(url => new Uri(url).AbsolutePath.EndsWith("/comments", StringComparison.Ordinal), async route =>
        {
            if (route.Request.Method != "GET")
            {
                await route.ContinueAsync();
                return;
            }

            var response = await route.FetchAsync();
            answered.TrySetResult();
            await release.Task;
            await route.FulfillAsync(new() { Response = response });
        });
        await alice.Locator("#comments").GetByLabel("Sort by").SelectOptionAsync("new");
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        var upvote = inAlice.Locator(":scope > .comment-actions").GetByRole(AriaRole.Button, new() { Name = "Upvote" });
        await ClickAndExpectOkAsync(alice, upvote, "/vote");
        await Expect(upvote).ToHaveAttributeAsync("aria-pressed", "true");
        release.SetResult();

        await Expect(alice.Locator("#comments-list")).ToHaveAttributeAsync("aria-busy", "false");
        await Expect(inAlice).ToHaveCountAsync(1);
        await Expect(upvote).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(inAlice.Locator(":scope > .comment-actions .score")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task A_link_in_a_comment_shows_its_card_in_every_window()
    {
        var (alice, bob) = await AliceAndBobOnANewThreadAsync();

        // The server fetches the page the link names when the comment is written (through the previews module) and
        // sends its card with the comment: Alice's own answer, and Bob's live event.
        await PostCommentAsync(alice, $"Worth reading: {Site.Fixture.ArticleUrl}");
        foreach (var page in new[] { alice, bob })
        {
            var comment = page.Locator("#comments-list > .comment").Filter(new() { HasText = "Worth reading" });
            var card = comment.Locator(".comment-links .link-card");
            await Expect(card).ToHaveCountAsync(1);
            await Expect(card.Locator(".link-card-title")).ToHaveTextAsync(FixtureSite.ArticleTitle);
            await Expect(card.Locator(".link-card-description")).ToHaveTextAsync(FixtureSite.ArticleDescription);
            (await card.Locator(".link-card-title a").GetAttributeAsync("href")).ShouldBe(Site.Fixture.ArticleUrl.ToString());
            await Expect(card.Locator("img.link-card-image")).ToHaveAttributeAsync("src", new Uri(Site.Fixture.BaseAddress, "/card.png").ToString());
        }

        // After a reload the listing carries the same card.
        await alice.ReloadAsync();
        await Expect(alice.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
        await OpenThreadAfterReloadAsync(alice, bob);
        await alice.Locator("#comments").ScreenshotAsync("comments-link-card");
        alice.Problems().ShouldBeEmpty();
        bob.Problems().ShouldBeEmpty();
    }

    private static async Task OpenThreadAfterReloadAsync(IPage page, IPage other)
    {
        var thread = await other.Locator("#comments").GetByLabel("Thread").InputValueAsync();
        var panel = page.Locator("#comments");
        await panel.GetByLabel("Thread").FillAsync(thread);
        await panel.GetByLabel("Thread").PressAsync("Enter");
        var card = page.Locator("#comments-list > .comment .comment-links .link-card-title");
        await Expect(card).ToHaveTextAsync(FixtureSite.ArticleTitle);
    }

    private async Task<(IPage Alice, IPage Bob)> AliceAndBobOnANewThreadAsync()
    {
        var thread = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        var alice = await NewPersonAsync();
        var bob = await NewPersonAsync();
        await alice.OpenAsAsync("alice");
        await bob.OpenAsAsync("bob");
        await OpenThreadAsync(alice, thread);
        await OpenThreadAsync(bob, thread);
        return (alice, bob);
    }

    private static async Task PostCommentAsync(IPage page, string body)
    {
        var panel = page.Locator("#comments");
        await panel.GetByLabel("Your comment (Markdown)").FillAsync(body);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
    }

    /// <summary>Clicks and waits for the API call the click makes, so that a refused call fails with its problem body.</summary>
    private static async Task ClickAndExpectOkAsync(IPage page, ILocator button, string pathEnd)
    {
        var response = await page.RunAndWaitForResponseAsync(
            () => button.ClickAsync(),
            r => new Uri(r.Url).AbsolutePath.EndsWith(pathEnd, StringComparison.Ordinal));
        response.Status.ShouldBe(200, await response.TextAsync());
    }

    private static async Task OpenThreadAsync(IPage page, string thread)
    {
        var panel = page.Locator("#comments");
        await panel.GetByLabel("Thread").FillAsync(thread);
        await panel.GetByLabel("Thread").PressAsync("Enter");
        // Events sent before the stream opens are not replayed: wait until the thread is live. A listing still on its
        // way would paint over what the events add (the previous thread's summary reads "0 comments" too).
        var list = page.Locator("#comments-list");
        await Expect(list).ToHaveAttributeAsync("data-live", "true");
        await Expect(list).ToHaveAttributeAsync("aria-busy", "false");
        await Expect(page.Locator("#comments-summary")).ToHaveTextAsync("0 comments");
    }
}
