using System.Net;
using System.Net.Http.Json;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// First pages come from the engine until a write to the thread bumps its version; the statement counter shows when
/// the store was reached. The app is this test's own so that the counts are exact.
/// </summary>
public sealed class CacheTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task First_pages_are_cached_until_a_write_to_the_thread(string store)
    {
        await using var app = await CommentsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        using var anonymous = tenant.App();
        var thread = NewThread();
        var other = NewThread();
        var first = await alice.PostCommentAsync(thread, "first");
        await alice.PostCommentAsync(other, "elsewhere");

        await anonymous.ListAsync(thread, "sort=top");
        var before = app.Statements;
        (await anonymous.ListAsync(thread, "sort=top")).Items.ShouldHaveSingleItem().Upvotes.ShouldBe(0);
        (app.Statements - before).ShouldBe(0, "a cached first page costs no statement");

        // A signed-in reader gets the cached page plus one statement for their own votes.
        before = app.Statements;
        (await bob.ListAsync(thread, "sort=top")).Items[0].MyVote.ShouldBe(0);
        (app.Statements - before).ShouldBe(1);

        // Each kind of write invalidates: vote, like, reply, edit, delete.
        await bob.VoteAsync(first.Id, 1);
        var page = await anonymous.ListAsync(thread, "sort=top");
        page.Items[0].Upvotes.ShouldBe(1);
        (await bob.ListAsync(thread, "sort=top")).Items[0].MyVote.ShouldBe(1);

        await bob.LikeAsync(first.Id);
        (await anonymous.ListAsync(thread, "sort=top")).Items[0].Likes.ShouldBe(1);

        await bob.PostCommentAsync(thread, "reply", first.Id);
        (await anonymous.ListAsync(thread, "sort=top")).Items[0].ReplyCount.ShouldBe(1);

        (await alice.PatchAsJsonAsync($"/v1/comments/{first.Id}", new { body = "edited" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.ListAsync(thread, "sort=top")).Items[0].Body.ShouldBe("edited");

        // A write elsewhere leaves this thread's cached page alone.
        await bob.VoteAsync((await anonymous.ListAsync(other)).Items[0].Id, 1);
        before = app.Statements;
        await anonymous.ListAsync(thread, "sort=top");
        (app.Statements - before).ShouldBe(0);

        (await alice.DeleteAsync($"/v1/comments/{first.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await anonymous.ListAsync(thread, "sort=top")).Items[0].Deleted.ShouldBeTrue();
    }

    [Fact]
    public async Task Concurrent_misses_load_the_page_once()
    {
        await using var app = await CommentsApp.StartAsync("sqlite");
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();
        await alice.PostCommentAsync(thread, "popular");

        var clients = Enumerable.Range(0, 20).Select(_ => tenant.App()).ToList();
        var before = app.Statements;
        var pages = await Task.WhenAll(clients.Select(c => c.ListAsync(thread, "sort=hot")));
        pages.ShouldAllBe(p => p.Items.Count == 1);
        (app.Statements - before).ShouldBe(1, "twenty concurrent misses, one load");
        clients.ForEach(c => c.Dispose());
    }
}
