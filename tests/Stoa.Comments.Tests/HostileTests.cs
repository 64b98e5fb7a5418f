using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stoa.Comments.Api;
using Stoa.Comments.Contracts;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Sql;
using Stoa.Testing;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// What one user of an app can do to the node or to other users' comments: make the node fetch pages for a comment
/// that will be refused, vote in a locked thread, expand a listing without bound, store text PostgreSQL refuses.
/// </summary>
public sealed class HostileTests(SharedApps apps)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_locked_thread_refuses_edits_votes_and_likes_not_only_new_comments(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        var thread = NewThread();
        var comment = await alice.PostCommentAsync(thread, "before the lock");
        (await tenant.Server().PutAsync($"/v1/threads/{thread}/lock", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await (await alice.PatchAsJsonAsync($"/v1/comments/{comment.Id}", new { body = "after" }, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "thread_locked");
        await (await bob.PutVoteAsync(comment.Id, 1)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "thread_locked");
        await (await bob.PutLikeAsync(comment.Id)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "thread_locked");
        var unchanged = await bob.GetCommentAsync(comment.Id);
        (unchanged.Body, unchanged.Upvotes, unchanged.Likes).ShouldBe(("before the lock", 0L, 0L));

        // Authors may still take their words back, and the app's backend may still moderate.
        (await alice.DeleteAsync($"/v1/comments/{comment.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public void Dot_segments_are_not_thread_ids()
    {
        // HTTP clients and proxies resolve "." and ".." away (Kestrel too), so such a thread could never be addressed.
        foreach (var id in (string[])[".", ".."])
        {
            Should.Throw<ApiException>(() => RequestValidation.ThrowIfInvalidThreadId(id)).Code.ShouldBe(FoundationErrors.ValidationFailed);
        }

        RequestValidation.ThrowIfInvalidThreadId("...");
        RequestValidation.ThrowIfInvalidThreadId(".hidden");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Nul_in_a_body_is_refused_the_same_on_both_stores(string store)
    {
        var app = await apps.GetAsync(store);
        using var alice = (await app.CreateTenantAsync()).User("alice");
        var response = await alice.PostAsJsonAsync($"/v1/threads/{NewThread()}/comments", new { body = "a\u0000b" }, Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.InvalidCharacter);
    }

    [Fact]
    public async Task A_listing_must_keep_limit_times_replies_times_depth_within_the_row_budget()
    {
        var app = await apps.GetAsync("sqlite");
        using var client = (await app.CreateTenantAsync()).App();
        var response = await client.GetAsync($"/v1/threads/{NewThread()}/comments?limit=100&replies=20&depth=2", Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        problem.GetProperty("errors").GetProperty("replies")[0].GetString()!.ShouldContain("at most 2000");
    }

    [Fact]
    public async Task A_42100_comment_thread_listed_two_levels_deep_with_a_user_token_answers_within_the_budget_on_sqlite()
    {
        // 100 comments with 20 replies each with 20 replies: listing two levels deep once built statements over
        // SQLite's variable limit (the viewer's votes on 42,100 ids) and answered 500.
        await using var app = await CommentsApp.StartAsync("sqlite");
        var tenant = await app.CreateTenantAsync();
        var thread = NewThread();
        await SeedThreeLevelsAsync(app, tenant, thread, 100, 20, 20);
        using var reader = tenant.User("reader");

        await (await reader.GetAsync($"/v1/threads/{thread}/comments?limit=100&replies=20&depth=2", Ct))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        var page = await reader.ListAsync(thread, "limit=100&replies=10&depth=2");
        var rows = page.Items.Sum(Count);
        rows.ShouldBeLessThanOrEqualTo(2000);
        rows.ShouldBeGreaterThan(1000, "inlining goes as deep as the budget allows");
        page.Items.ShouldAllBe(c => c.MyVote == 0);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Links_of_a_comment_that_will_be_refused_are_never_fetched(string store)
    {
        await using var target = await LinkTarget.StartAsync();
        await using var app = await CommentsApp.StartAsync(store, target.AllowedBy());
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        var thread = NewThread();
        var mine = await alice.PostCommentAsync(thread, "no links yet");

        await (await bob.PatchAsJsonAsync($"/v1/comments/{mine.Id}", new { body = target.Link("others-comment") }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "not_comment_author");
        await (await bob.PatchAsJsonAsync($"/v1/comments/{Guid.NewGuid()}", new { body = target.Link("missing-comment") }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "comment_not_found");
        await (await bob.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = target.Link("missing-parent"), parentId = Guid.NewGuid() }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "parent_not_found");
        (await tenant.Server().PutAsync($"/v1/threads/{thread}/lock", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await bob.PostAsJsonAsync($"/v1/threads/{thread}/comments", new { body = target.Link("locked-thread") }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "thread_locked");
        target.Hits.ShouldBeEmpty();

        // The control: an accepted comment's link is fetched, so the empty list above means something.
        await bob.PostCommentAsync(NewThread(), target.Link("accepted"));
        target.Hits.Keys.ShouldBe(["/accepted"]);
    }

    private static int Count(CommentResponse comment) => 1 + (comment.Replies ?? []).Sum(Count);

    /// <summary>Writes the thread's rows straight into the store: creating 42,100 comments through the API takes minutes.</summary>
    private static async Task SeedThreeLevelsAsync(CommentsApp app, TestTenant tenant, string thread, int top, int perComment, int perReply)
    {
        var appId = (await app.Services.GetRequiredService<AppStore>().FindByApiKeyAsync(tenant.ApiKey, Ct))!.Id;
        var now = DateTimeOffset.UtcNow;
        var rows = new List<object>();
        void Add(Guid id, Guid parent, Guid root, int depth, int replies, int i) => rows.Add(new
        {
            AppId = appId, Id = id, ThreadId = thread, ParentId = parent, RootId = root, Depth = depth, ReplyCount = replies,
            CreatedAt = now.AddMilliseconds(-i),
        });
        for (var t = 0; t < top; t++)
        {
            var root = Guid.NewGuid();
            Add(root, Guid.Empty, root, 0, perComment, rows.Count);
            for (var r = 0; r < perComment; r++)
            {
                var reply = Guid.NewGuid();
                Add(reply, root, root, 1, perReply, rows.Count);
                for (var n = 0; n < perReply; n++)
                {
                    Add(Guid.NewGuid(), reply, root, 2, 0, rows.Count);
                }
            }
        }

        await app.Services.GetRequiredService<StoaDatabase>().InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO comments (app_id, id, thread_id, parent_id, root_id, depth, author_id, body, body_html, links, created_at,
                upvotes, downvotes, likes, reply_count, best, hot, controversy)
            VALUES (@AppId, @Id, @ThreadId, @ParentId, @RootId, @Depth, 'seed', 'seeded', '<p>seeded</p>', NULL, @CreatedAt,
                0, 0, 0, @ReplyCount, 0, 0, 0)
            """, rows, transaction, cancellationToken: Ct)), Ct);
    }

    /// <summary>A page server on loopback that counts what the previewer fetched from it.</summary>
    private sealed class LinkTarget : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private LinkTarget(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public ConcurrentDictionary<string, int> Hits { get; } = new(StringComparer.Ordinal);

        public int Port { get; }

        public static async Task<LinkTarget> StartAsync()
        {
            var port = TestPorts.GetFree();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            var target = new LinkTarget(app, port);
            app.Run(context =>
            {
                target.Hits.AddOrUpdate(context.Request.Path.Value ?? "/", 1, (_, n) => n + 1);
                context.Response.ContentType = "text/html";
                return context.Response.WriteAsync("<html><head><title>linked</title></head></html>");
            });
            await app.StartAsync();
            return target;
        }

        public string Link(string path) => $"see http://127.0.0.1:{Port}/{path}";

        public Dictionary<string, string?> AllowedBy() => new()
        {
            ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Stoa:Previews:AllowedPorts:0"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
