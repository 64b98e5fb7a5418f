using System.Net;
using System.Net.Http.Json;
using Stoa.Comments.Api;
using Stoa.Comments.Contracts;
using Stoa.Testing;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>Every endpoint over real HTTP, on both stores.</summary>
public sealed class EndpointTests(SharedApps apps)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Post_get_edit_and_delete_a_comment(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();

        var created = await alice.PostCommentAsync(thread, "Hello **world**");
        created.ThreadId.ShouldBe(thread);
        created.AuthorId.ShouldBe("alice");
        created.Body.ShouldBe("Hello **world**");
        created.Html.ShouldBe("<p>Hello <strong>world</strong></p>\n");
        created.Depth.ShouldBe(0);
        created.ParentId.ShouldBeNull();
        created.RootId.ShouldBe(created.Id);
        created.MyVote.ShouldBe(0);
        created.Liked.ShouldBe(false);

        using var anonymous = tenant.App();
        var read = await anonymous.GetCommentAsync(created.Id);
        read.Body.ShouldBe("Hello **world**");
        read.MyVote.ShouldBeNull();
        read.CreatedAt.ShouldBe(created.CreatedAt);

        var edit = await alice.PatchAsJsonAsync($"/v1/comments/{created.Id}", new { body = "Edited" }, Ct);
        edit.StatusCode.ShouldBe(HttpStatusCode.OK);
        var edited = (await edit.Content.ReadFromJsonAsync<CommentResponse>(Ct))!;
        edited.Body.ShouldBe("Edited");
        edited.Html.ShouldBe("<p>Edited</p>\n");
        edited.EditedAt.ShouldNotBeNull();

        (await alice.DeleteAsync($"/v1/comments/{created.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var deleted = await anonymous.GetCommentAsync(created.Id);
        deleted.Deleted.ShouldBeTrue();
        deleted.Body.ShouldBeNull();
        deleted.Html.ShouldBeNull();
        deleted.AuthorId.ShouldBeNull();
        // Deleting again changes nothing.
        (await alice.DeleteAsync($"/v1/comments/{created.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Thread_counts_replies_and_soft_delete_keeps_the_shape(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        var thread = NewThread();

        var root = await alice.PostCommentAsync(thread, "root");
        var reply = await bob.PostCommentAsync(thread, "reply", root.Id);
        var nested = await alice.PostCommentAsync(thread, "nested", reply.Id);
        reply.Depth.ShouldBe(1);
        reply.RootId.ShouldBe(root.Id);
        nested.Depth.ShouldBe(2);
        nested.RootId.ShouldBe(root.Id);
        nested.ParentId.ShouldBe(reply.Id);

        var info = await tenant.App().GetFromJsonAsync<ThreadResponse>($"/v1/threads/{thread}", Ct);
        info.ShouldBe(new ThreadResponse(thread, 3, false));

        (await bob.DeleteAsync($"/v1/comments/{reply.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var page = await bob.ListAsync(thread, "sort=old&replies=5&depth=3");
        var top = page.Items.ShouldHaveSingleItem();
        top.ReplyCount.ShouldBe(1);
        var gone = top.Replies.ShouldNotBeNull().ShouldHaveSingleItem();
        gone.Id.ShouldBe(reply.Id);
        gone.Deleted.ShouldBeTrue();
        gone.Body.ShouldBeNull();
        gone.Replies.ShouldNotBeNull().ShouldHaveSingleItem().Body.ShouldBe("nested");

        (await tenant.App().GetFromJsonAsync<ThreadResponse>($"/v1/threads/{thread}", Ct))!.CommentCount.ShouldBe(2);
        (await tenant.App().GetFromJsonAsync<ThreadResponse>($"/v1/threads/{NewThread()}", Ct))!.CommentCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Listing_by_parent_and_inlined_replies_respect_limits(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();
        var root = await alice.PostCommentAsync(thread, "root");
        var replies = new List<CommentResponse>();
        for (var i = 0; i < 4; i++)
        {
            replies.Add(await alice.PostCommentAsync(thread, $"reply {i}", root.Id));
        }

        await alice.PostCommentAsync(thread, "deep", replies[0].Id);

        var children = await alice.ListAsync(thread, $"parentId={root.Id}&sort=old&limit=3");
        children.Items.Select(c => c.Body).ShouldBe(["reply 0", "reply 1", "reply 2"]);
        children.Items.ShouldAllBe(c => c.Replies == null);
        var rest = await alice.ListAsync(thread, $"parentId={root.Id}&sort=old&limit=3&cursor={children.NextCursor}");
        rest.Items.Select(c => c.Body).ShouldBe(["reply 3"]);
        rest.NextCursor.ShouldBeNull();

        var inlined = await alice.ListAsync(thread, "sort=old&replies=2&depth=1");
        var top = inlined.Items.ShouldHaveSingleItem();
        top.Replies.ShouldNotBeNull().Select(r => r.Body).ShouldBe(["reply 0", "reply 1"]);
        top.Replies.ShouldAllBe(r => r.Replies!.Count == 0);

        var deeper = await alice.ListAsync(thread, "sort=old&replies=2&depth=2");
        deeper.Items[0].Replies![0].Replies!.ShouldHaveSingleItem().Body.ShouldBe("deep");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Server_token_locks_threads_and_deletes_any_comment(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var backend = tenant.Server();
        var thread = NewThread();
        var comment = await alice.PostCommentAsync(thread, "first");

        await (await alice.PutAsync($"/v1/threads/{thread}/lock", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "server_token_required");
        var locked = await backend.PutAsync($"/v1/threads/{thread}/lock", null, Ct);
        (await locked.Content.ReadFromJsonAsync<ThreadResponse>(Ct)).ShouldBe(new ThreadResponse(thread, 1, true));

        var refused = await alice.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = "late" }, Ct);
        await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "thread_locked");
        await (await alice.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = "late", parentId = comment.Id }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "thread_locked");
        (await tenant.App().GetFromJsonAsync<ThreadResponse>($"/v1/threads/{thread}", Ct))!.Locked.ShouldBeTrue();

        (await backend.DeleteAsync($"/v1/threads/{thread}/lock", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await alice.PostCommentAsync(thread, "open again");

        (await backend.DeleteAsync($"/v1/comments/{comment.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await alice.GetCommentAsync(comment.Id)).Deleted.ShouldBeTrue();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Unknown_ids_and_bad_requests_answer_stable_codes(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var missing = Guid.NewGuid();
        var thread = NewThread();

        await (await alice.GetAsync($"/v1/comments/{missing}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await alice.PatchAsJsonAsync($"/v1/comments/{missing}", new { body = "x" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await alice.DeleteAsync($"/v1/comments/{missing}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await alice.PutVoteAsync(missing, 1)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await alice.PutAsync($"/v1/comments/{missing}/like", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await alice.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = "x", parentId = missing }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "parent_not_found");

        var other = await alice.PostCommentAsync(NewThread(), "elsewhere");
        await (await alice.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = "x", parentId = other.Id }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "parent_not_found");

        await (await alice.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = "  " }, Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await alice.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = new string('x', 10_001) }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "body_too_long");
        await alice.PostCommentAsync(thread, new string('x', 10_000));
        // Characters are code points, as the OpenAPI document's maxLength counts them: 10,000 emoji (20,000 UTF-16
        // units) are allowed, one more is not.
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 10_000));
        await alice.PostCommentAsync(thread, emoji);
        await (await alice.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = emoji + "x" }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "body_too_long");
        await (await alice.PutVoteAsync(other.Id, 2)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var longThread = new string('t', 129);
        await (await alice.GetAsync($"/v1/threads/{longThread}/comments", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await alice.GetAsync($"/v1/threads/a%01b/comments", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        foreach (var query in (string[])["sort=random", "limit=0", "limit=101", "replies=-1", "depth=99", "parentId=nope", "cursor=%%%", "cursor=YWJj"])
        {
            await (await alice.GetAsync($"/v1/threads/{thread}/comments?{query}", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        }

        // A cursor of one listing is refused by another (here: another sort).
        var page = await alice.ListAsync(thread, "sort=new&limit=1");
        await alice.PostCommentAsync(thread, "second");
        page = await alice.ListAsync(thread, "sort=new&limit=1");
        page.NextCursor.ShouldNotBeNull();
        await (await alice.GetAsync($"/v1/threads/{thread}/comments?sort=old&limit=1&cursor={page.NextCursor}", Ct))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        using var anonymous = tenant.App();
        await (await anonymous.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = "x" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_token");
    }
}
