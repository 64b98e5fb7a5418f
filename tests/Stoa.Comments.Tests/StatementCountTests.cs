using Stoa.Testing;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// No query per comment: a page with inlined replies costs one statement for the page and one per level of replies,
/// whether the page holds 3 comments or 10, and a signed-in reader's votes and likes come with those statements, not
/// with one more. The page cache is off here so that every listing reaches the store; the app is this test's own so
/// that the count is exact.
/// </summary>
public sealed class StatementCountTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_page_with_inlined_replies_costs_a_fixed_number_of_statements(string store)
    {
        await using var app = await CommentsApp.StartAsync(store, new Dictionary<string, string?> { ["Stoa:Comments:CacheFirstPages"] = "false" });
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var anonymous = tenant.App();
        var thread = NewThread();
        for (var i = 0; i < 10; i++)
        {
            var top = await alice.PostCommentAsync(thread, $"top {i}");
            for (var j = 0; j < 3; j++)
            {
                var reply = await alice.PostCommentAsync(thread, $"reply {i}.{j}", top.Id);
                await alice.PostCommentAsync(thread, $"nested {i}.{j}", reply.Id);
            }
        }

        foreach (var limit in (int[])[3, 10])
        {
            var before = app.Statements;
            var page = await alice.ListAsync(thread, $"sort=new&limit={limit}&replies=3&depth=2");
            page.Items.Count.ShouldBe(limit);
            page.Items.SelectMany(i => i.Replies!).Count().ShouldBe(3 * limit);
            page.Items.SelectMany(i => i.Replies!).SelectMany(r => r.Replies!).Count().ShouldBe(3 * limit);
            // page + replies level 1 + replies level 2, the caller's votes and likes read by each
            (app.Statements - before).ShouldBe(3, $"limit={limit}");

            before = app.Statements;
            await anonymous.ListAsync(thread, $"sort=top&limit={limit}&replies=3&depth=2");
            (app.Statements - before).ShouldBe(3, $"anonymous, limit={limit}");

            before = app.Statements;
            await alice.ListAsync(thread, $"sort=best&limit={limit}");
            (app.Statements - before).ShouldBe(1, $"no replies, limit={limit}");
        }

        var one = (await alice.ListAsync(thread, "limit=1")).Items[0];
        var statements = app.Statements;
        await alice.GetCommentAsync(one.Id);
        (app.Statements - statements).ShouldBe(1);
    }
}
