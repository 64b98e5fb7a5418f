using System.Net;
using System.Net.Http.Json;
using Stoa.Comments.Api;
using Stoa.Comments.Contracts;
using Stoa.Testing;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>Votes, likes, authorship and the edit window.</summary>
public sealed class RuleTests(SharedApps apps)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task One_vote_per_user_changeable_and_retractable_never_on_your_own(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        var comment = await alice.PostCommentAsync(NewThread(), "vote on me");

        await (await alice.PutVoteAsync(comment.Id, 1)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "cannot_vote_own_comment");

        (await bob.VoteAsync(comment.Id, 1)).ShouldBe(new CountsResponse(comment.Id, comment.ThreadId, 1, 0, 1, 0, 0, 1, false));
        (await bob.VoteAsync(comment.Id, 1)).Upvotes.ShouldBe(1);
        var changed = await bob.VoteAsync(comment.Id, -1);
        (changed.Upvotes, changed.Downvotes, changed.Score, changed.MyVote).ShouldBe((0L, 1L, -1L, (int?)-1));
        var retracted = await bob.VoteAsync(comment.Id, 0);
        (retracted.Upvotes, retracted.Downvotes, retracted.MyVote).ShouldBe((0L, 0L, (int?)0));
        await bob.VoteAsync(comment.Id, 1);

        (await bob.GetCommentAsync(comment.Id)).MyVote.ShouldBe(1);
        (await alice.GetCommentAsync(comment.Id)).MyVote.ShouldBe(0);
        var listed = (await bob.ListAsync(comment.ThreadId)).Items.ShouldHaveSingleItem();
        (listed.Upvotes, listed.MyVote, listed.Liked).ShouldBe((1L, (int?)1, (bool?)false));
        (await tenant.App().ListAsync(comment.ThreadId)).Items[0].MyVote.ShouldBeNull();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Likes_are_apart_from_votes_and_idempotent(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        using var carol = tenant.User("carol");
        var comment = await alice.PostCommentAsync(NewThread(), "like me");

        (await bob.LikeAsync(comment.Id)).Likes.ShouldBe(1);
        (await bob.LikeAsync(comment.Id)).Likes.ShouldBe(1);
        var both = await carol.LikeAsync(comment.Id);
        (both.Likes, both.Liked, both.Upvotes).ShouldBe((2L, (bool?)true, 0L));
        await carol.VoteAsync(comment.Id, -1);
        var unliked = await bob.LikeAsync(comment.Id, like: false);
        (unliked.Likes, unliked.Liked, unliked.Downvotes).ShouldBe((1L, (bool?)false, 1L));
        (await bob.LikeAsync(comment.Id, like: false)).Likes.ShouldBe(1);

        var seen = await carol.GetCommentAsync(comment.Id);
        (seen.Likes, seen.Liked, seen.MyVote, seen.Downvotes).ShouldBe((1L, (bool?)true, (int?)-1, 1L));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Only_authors_edit_or_delete_and_deleted_comments_take_no_votes(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        var comment = await alice.PostCommentAsync(NewThread(), "mine");

        await (await bob.PatchAsJsonAsync($"/v1/comments/{comment.Id}", new { body = "yours" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "not_comment_author");
        await (await bob.DeleteAsync($"/v1/comments/{comment.Id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "not_comment_author");
        await bob.VoteAsync(comment.Id, 1);

        (await alice.DeleteAsync($"/v1/comments/{comment.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await bob.PutVoteAsync(comment.Id, -1)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "comment_deleted");
        await (await bob.PutAsync($"/v1/comments/{comment.Id}/like", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "comment_deleted");
        await (await alice.PatchAsJsonAsync($"/v1/comments/{comment.Id}", new { body = "back" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "comment_deleted");
        await (await bob.PostAsJsonAsync($"/v1/threads/{comment.ThreadId}/comments", new { body = "re", parentId = comment.Id }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "comment_deleted");
        (await bob.GetCommentAsync(comment.Id)).Upvotes.ShouldBe(1);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Authors_edit_within_the_window_only(string store)
    {
        var clock = new ShiftableTime();
        await using var app = await CommentsApp.StartAsync(store, new Dictionary<string, string?> { ["Stoa:Comments:EditWindow"] = "00:10:00" }, clock);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var comment = await alice.PostCommentAsync(NewThread(), "draft");

        clock.Advance(TimeSpan.FromMinutes(9));
        (await alice.PatchAsJsonAsync($"/v1/comments/{comment.Id}", new { body = "fixed" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromMinutes(2));
        await (await alice.PatchAsJsonAsync($"/v1/comments/{comment.Id}", new { body = "too late" }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "edit_window_closed");
        (await alice.GetCommentAsync(comment.Id)).Body.ShouldBe("fixed");
    }
}
