using System.Net;
using System.Net.Http.Json;
using Stoa.Comments.Api;
using Stoa.Comments.Contracts;
using Stoa.Testing;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>App B knows app A's comment ids and thread ids, and still can neither see nor touch A's comments.</summary>
public sealed class TenantIsolationTests(SharedApps apps)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task App_B_cannot_read_vote_edit_or_delete_app_As_comments(string store)
    {
        var app = await apps.GetAsync(store);
        var a = await app.CreateTenantAsync("A");
        var b = await app.CreateTenantAsync("B");
        using var alice = a.User("alice");
        using var bobOfA = a.User("bob");
        using var mallory = b.User("alice");
        using var backendOfB = b.Server();
        var thread = NewThread();
        var comment = await alice.PostCommentAsync(thread, "A's comment");
        await bobOfA.VoteAsync(comment.Id, 1);

        await (await mallory.GetAsync($"/v1/comments/{comment.Id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await mallory.PutVoteAsync(comment.Id, -1)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await mallory.PutAsync($"/v1/comments/{comment.Id}/like", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await mallory.PatchAsJsonAsync($"/v1/comments/{comment.Id}", new { body = "B" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await mallory.DeleteAsync($"/v1/comments/{comment.Id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await backendOfB.DeleteAsync($"/v1/comments/{comment.Id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await mallory.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = "re", parentId = comment.Id }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "parent_not_found");
        (await mallory.ListAsync(thread)).Items.ShouldBeEmpty();
        (await mallory.ListAsync(thread, $"parentId={comment.Id}")).Items.ShouldBeEmpty();
        (await mallory.GetFromJsonAsync<ThreadResponse>($"/v1/threads/{thread}", Ct))!.CommentCount.ShouldBe(0);
        (await backendOfB.PutAsync($"/v1/threads/{thread}/lock", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // B's activity on the same thread id is B's own; A's thread is untouched.
        await mallory.PostCommentAsync(NewThread(), "B's own");
        var seen = await alice.GetCommentAsync(comment.Id);
        (seen.Body, seen.Upvotes, seen.Likes, seen.Deleted).ShouldBe(("A's comment", 1L, 0L, false));
        (await alice.GetFromJsonAsync<ThreadResponse>($"/v1/threads/{thread}", Ct)).ShouldBe(new ThreadResponse(thread, 1, false));
        await alice.PostCommentAsync(thread, "still open for A");
    }
}
