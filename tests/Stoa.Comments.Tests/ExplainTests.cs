using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Comments.Core;
using Stoa.Comments.Storage;
using Stoa.Comments.Storage.Sql;
using Stoa.Foundation.Sql;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// Every listing query PostgreSQL receives is an index scan on that sort's composite index, in index order (no Sort
/// node), for first and later pages, top level and by parent. A planner facing a handful of rows rightly prefers
/// any scan plus a sort, so the test first inserts 20,000 comments into one thread (half top level, half replies
/// of one parent) and runs ANALYZE; <c>enable_seqscan = off</c> is set as well, so that a statistics quirk cannot
/// turn a plan into a sequential scan. docs/benchmarks-comments.md shows the plans on the 200,000-comment thread.
/// </summary>
public sealed class ExplainTests(SharedApps apps)
{
    [Fact]
    public async Task Every_listing_query_is_an_index_scan_on_its_sorts_index()
    {
        var app = await apps.GetAsync("postgres");
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();
        var parent = await alice.PostCommentAsync(thread, "parent");
        await alice.PostCommentAsync(thread, "reply", parent.Id);

        var database = app.Services.GetRequiredService<StoaDatabase>();
        var sql = CommentsSql.For(SqlDialect.Postgres);
        await using var connection = await database.OpenAsync(Ct);
        var appId = Guid.NewGuid();
        await connection.ExecuteAsync("""
            INSERT INTO comments (app_id, id, thread_id, parent_id, root_id, depth, author_id, body, body_html, created_at,
                upvotes, downvotes, likes, reply_count, best, hot, controversy)
            SELECT @AppId, gen_random_uuid(), @ThreadId, CASE WHEN g % 2 = 0 THEN '00000000-0000-0000-0000-000000000000'::uuid ELSE @ParentId END, @ParentId,
                g % 2, 'seed', 'x', '<p>x</p>', now() - g * interval '1 second', g % 97, g % 13, g % 5, g % 7,
                random(), random(), random()
            FROM generate_series(1, 20000) AS g
            """, new { AppId = appId, ThreadId = thread, ParentId = parent.Id });
        await connection.ExecuteAsync("ANALYZE comments");
        await connection.ExecuteAsync("SET enable_seqscan = off");
        foreach (var sort in Enum.GetValues<CommentSort>())
        {
            var index = "comments_by_" + CommentsSql.Key(sort).Column.Replace("reply_count", "replies", StringComparison.Ordinal).Replace("created_at", "created", StringComparison.Ordinal);
            var last = new Comment { Id = Guid.NewGuid(), ThreadId = thread, RootId = Guid.NewGuid(), Depth = 0, AuthorId = "a", Body = "", BodyHtml = "", CreatedAt = DateTimeOffset.UtcNow, Upvotes = 3, ReplyCount = 2, Best = 0.5, Hot = 0.5, Controversy = 1.5 };
            foreach (var parentId in (Guid[])[Guid.Empty, parent.Id])
            {
                foreach (var afterCursor in (bool[])[false, true])
                {
                    // The parameters exactly as the store builds them: their types decide whether the row comparison
                    // is an index condition.
                    Guid? parentFilter = parentId == Guid.Empty ? null : parentId;
                    var query = new ListQuery(thread, sort, parentFilter, afterCursor ? PageCursor.After(sort, parentFilter, last) : null, 25, 0, 0);
                    var plan = await ExplainAsync(connection, sql.Listing(sort, afterCursor), SqlCommentStore.ListingParameters(appId, query));
                    var context = $"{sort} parent={parentId} afterCursor={afterCursor}:\n{plan}";
                    plan.ShouldContain($"Index Scan", Case.Sensitive, context);
                    plan.ShouldContain(index, Case.Sensitive, context);
                    plan.ShouldNotContain("Sort", Case.Sensitive, context);
                    plan.ShouldNotContain("Seq Scan", Case.Sensitive, context);
                    plan.ShouldNotContain("Filter", Case.Sensitive, context);
                }
            }

            var parameters = new DynamicParameters(new { AppId = appId, ThreadId = thread, PerParent = 3 });
            parameters.Add("ParentIds", sql.IdList([parent.Id, Guid.NewGuid()]));
            var replies = await ExplainAsync(connection, sql.Replies(sort), parameters);
            replies.ShouldContain(index, Case.Sensitive, $"{sort} replies:\n{replies}");
            replies.ShouldNotContain("Seq Scan", Case.Sensitive, replies);
        }
    }

    private static async Task<string> ExplainAsync(System.Data.Common.DbConnection connection, string sql, object parameters) =>
        string.Join('\n', await connection.QueryAsync<string>("EXPLAIN " + sql, parameters));
}
