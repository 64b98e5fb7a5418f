using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// A signed-in reader's own votes and likes come with the listing's statements, at every level of inlined replies, on
/// first pages (cached or not) and deeper ones, and on a single comment. The app is this test's own so that the
/// statement counts are exact.
/// </summary>
public sealed class ViewerStateTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_signed_in_reader_sees_their_own_votes_and_likes_in_every_read(string store)
    {
        await using var app = await CommentsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        using var carol = tenant.User("carol");
        using var anonymous = tenant.App();
        var thread = NewThread();
        var a = await alice.PostCommentAsync(thread, "a");
        var b = await alice.PostCommentAsync(thread, "b");
        var a1 = await alice.PostCommentAsync(thread, "a1", a.Id);
        var a1a = await alice.PostCommentAsync(thread, "a1a", a1.Id);
        await bob.VoteAsync(a.Id, 1);
        await bob.VoteAsync(a1.Id, -1);
        await bob.LikeAsync(a1a.Id);
        await bob.LikeAsync(b.Id);
        await carol.VoteAsync(b.Id, -1);

        const string Query = "sort=old&limit=10&replies=3&depth=2";
        var before = app.Statements;
        var missed = await bob.ListAsync(thread, Query);
        (app.Statements - before).ShouldBe(3, "a signed-in miss: the page and two levels of replies, the reader's state read by each");
        ShouldShowBobsState(missed, [a.Id, b.Id]);

        before = app.Statements;
        var hit = await bob.ListAsync(thread, Query);
        (app.Statements - before).ShouldBe(1, "the page the miss left in the cache, plus the reader's state");
        ShouldShowBobsState(hit, [a.Id, b.Id]);

        var mine = (await carol.ListAsync(thread, Query)).Items;
        (mine[0].MyVote, mine[0].Liked, mine[1].MyVote, mine[1].Liked).ShouldBe(((int?)0, (bool?)false, (int?)-1, (bool?)false));
        (await anonymous.ListAsync(thread, Query)).Items.ShouldAllBe(c => c.MyVote == null && c.Liked == null);

        var first = await bob.ListAsync(thread, "sort=old&limit=1");
        before = app.Statements;
        var deep = await bob.ListAsync(thread, $"sort=old&limit=1&cursor={first.NextCursor}");
        (app.Statements - before).ShouldBe(1, "a deeper page: one statement, the reader's state read by it");
        var second = deep.Items.ShouldHaveSingleItem();
        (second.Id, second.MyVote, second.Liked, second.Downvotes, second.Likes).ShouldBe((b.Id, (int?)0, (bool?)true, 1L, 1L));

        before = app.Statements;
        var single = await bob.GetCommentAsync(a1.Id);
        (app.Statements - before).ShouldBe(1);
        (single.MyVote, single.Liked, single.Downvotes).ShouldBe(((int?)-1, (bool?)false, 1L));
    }

    private static void ShouldShowBobsState(Contracts.CommentListResponse page, Guid[] order)
    {
        page.Items.Select(c => c.Id).ShouldBe(order);
        var (a, b) = (page.Items[0], page.Items[1]);
        (a.MyVote, a.Liked, a.Upvotes).ShouldBe(((int?)1, (bool?)false, 1L));
        (b.MyVote, b.Liked, b.Likes).ShouldBe(((int?)0, (bool?)true, 1L));
        var a1 = a.Replies.ShouldHaveSingleItem();
        (a1.MyVote, a1.Liked, a1.Downvotes).ShouldBe(((int?)-1, (bool?)false, 1L));
        var a1a = a1.Replies.ShouldHaveSingleItem();
        (a1a.MyVote, a1a.Liked, a1a.Likes).ShouldBe(((int?)0, (bool?)true, 1L));
    }
}
