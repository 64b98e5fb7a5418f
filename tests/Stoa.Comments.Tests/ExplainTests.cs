using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Comments.Core;
using Stoa.Comments.Storage.Sql;
using Stoa.Foundation.Sql;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// Every listing query PostgreSQL receives is an index scan on that sort's composite index, in index order (no Sort
/// node), for first and later pages, top level and by parent, anonymous or with the reader's votes and likes read
/// (primary-key probes, one per row returned). Both plans PostgreSQL may run are checked: the custom plan made for the
/// parameters' values, and the generic plan a prepared statement switches to after five runs (Npgsql prepares the
/// statements; the generic one is forced here with <c>plan_cache_mode</c>). A planner facing a handful of rows rightly
/// prefers any scan plus a sort, so the test first inserts 20,000 comments into one thread (half top level, half
/// replies of one parent) and 20,000 votes, and runs ANALYZE; <c>enable_seqscan = off</c> is set as well, so that a
/// statistics quirk cannot turn a plan into a sequential scan. docs/benchmarks-comments.md shows the plans on the
/// 200,000-comment thread.
/// </summary>
public sealed partial class ExplainTests(SharedApps apps)
{
    private static int s_prepared;

    [Fact]
    public async Task Every_listing_query_is_an_index_scan_on_its_sorts_index_in_custom_and_generic_plans()
    {
        var app = await apps.GetAsync("postgres");
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();
        var parent = await alice.PostCommentAsync(thread, "parent");
        await alice.PostCommentAsync(thread, "reply", parent.Id);

        var database = app.Services.GetRequiredService<StoaDatabase>();
        var sql = CommentsSql.For(SqlDialect.Postgres);
        var appId = Guid.NewGuid();
        // Through the store's retry: at SERIALIZABLE the votes' read of the new comments can conflict with other tests'
        // writes to the shared database (40001).
        await database.InTransactionAsync((c, tx) => c.ExecuteAsync("""
            INSERT INTO comments (app_id, id, thread_id, parent_id, root_id, depth, author_id, body, body_html, created_at,
                upvotes, downvotes, likes, reply_count, best, hot, controversy)
            SELECT @AppId, gen_random_uuid(), @ThreadId, CASE WHEN g % 2 = 0 THEN '00000000-0000-0000-0000-000000000000'::uuid ELSE @ParentId END, @ParentId,
                g % 2, 'seed', 'x', '<p>x</p>', now() - g * interval '1 second', g % 97, g % 13, g % 5, g % 7,
                random(), random(), random()
            FROM generate_series(1, 20000) AS g;
            INSERT INTO comment_votes (app_id, comment_id, user_id, value, updated_at)
            SELECT @AppId, id, 'voter-' || (row_number() OVER () % 50), 1, now() FROM comments WHERE app_id = @AppId
            """, new { AppId = appId, ThreadId = thread, ParentId = parent.Id }, tx), Ct);
        await using var connection = await database.OpenAsync(Ct);
        await connection.ExecuteAsync("ANALYZE comments; ANALYZE comment_votes");

        // SET LOCAL: pooled connections are not reset on return (StoreSettings), so a plain SET would outlive the test.
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await connection.ExecuteAsync("SET LOCAL enable_seqscan = off", transaction: transaction);
        foreach (var sort in Enum.GetValues<CommentSort>())
        {
            var index = "comments_by_" + CommentsSql.Key(sort).Column.Replace("reply_count", "replies", StringComparison.Ordinal).Replace("created_at", "created", StringComparison.Ordinal);
            var last = new Comment { Id = Guid.NewGuid(), ThreadId = thread, RootId = Guid.NewGuid(), Depth = 0, AuthorId = "a", Body = "", BodyHtml = "", CreatedAt = DateTimeOffset.UtcNow, Upvotes = 3, ReplyCount = 2, Best = 0.5, Hot = 0.5, Controversy = 1.5 };
            foreach (var parentId in (Guid[])[Guid.Empty, parent.Id])
            {
                foreach (var afterCursor in (bool[])[false, true])
                {
                    foreach (var viewer in (bool[])[false, true])
                    {
                        // The parameters exactly as the store builds them: their types decide whether the row comparison
                        // is an index condition.
                        Guid? parentFilter = parentId == Guid.Empty ? null : parentId;
                        var query = new ListQuery(thread, sort, parentFilter, afterCursor ? PageCursor.After(sort, parentFilter, last) : null, 25, 0, 0);
                        var statement = sql.Listing(sort, afterCursor, viewer);
                        var parameters = Storage.SqlCommentStore.ListingParameters(appId, query, viewer ? "voter-7" : null);
                        foreach (var (kind, plan) in await ExplainBothAsync(connection, transaction, statement, parameters))
                        {
                            var context = $"{sort} parent={parentId} afterCursor={afterCursor} viewer={viewer}, {kind} plan:\n{plan}";
                            plan.ShouldContain("Index Scan", Case.Sensitive, context);
                            plan.ShouldContain(index, Case.Sensitive, context);
                            plan.ShouldNotContain("Sort", Case.Sensitive, context);
                            plan.ShouldNotContain("Seq Scan", Case.Sensitive, context);
                            plan.ShouldNotContain("Filter", Case.Sensitive, context);
                            plan.ShouldNotContain("Hash", Case.Sensitive, context);
                            if (viewer)
                            {
                                plan.ShouldContain("comment_votes_pkey", Case.Sensitive, context);
                                plan.ShouldContain("comment_likes_pkey", Case.Sensitive, context);
                            }
                        }
                    }
                }
            }

            foreach (var viewer in (bool[])[false, true])
            {
                var parameters = new DynamicParameters(new Dictionary<string, object?>
                {
                    ["AppId"] = appId,
                    ["ThreadId"] = thread,
                    ["PerParent"] = 3,
                    ["UserId"] = viewer ? "voter-7" : null,
                    ["ParentIds"] = sql.IdList([parent.Id, Guid.NewGuid()]),
                });
                foreach (var (kind, plan) in await ExplainBothAsync(connection, transaction, sql.Replies(sort, viewer), parameters))
                {
                    var context = $"{sort} replies viewer={viewer}, {kind} plan:\n{plan}";
                    plan.ShouldContain(index, Case.Sensitive, context);
                    plan.ShouldNotContain("Seq Scan", Case.Sensitive, context);
                    plan.ShouldNotContain("Hash", Case.Sensitive, context);
                }
            }
        }
    }

    /// <summary>
    /// The custom plan (EXPLAIN with the values bound) and the generic plan: the statement PREPAREd with the parameters'
    /// types and run with <c>plan_cache_mode = force_generic_plan</c>, its values written as literals.
    /// </summary>
    private static async Task<(string Kind, string Plan)[]> ExplainBothAsync(DbConnection connection, DbTransaction transaction, string sql,
        DynamicParameters parameters)
    {
        var custom = string.Join('\n', await connection.QueryAsync<string>("EXPLAIN " + sql, parameters, transaction));
        var names = ParameterName().Matches(sql).Select(m => m.Groups[1].Value).Distinct().ToList();
        var typed = names.Select(n => Typed(((SqlMapper.IParameterLookup)parameters)[n])).ToList();
        var numbered = ParameterName().Replace(sql, m => "$" + (names.IndexOf(m.Groups[1].Value) + 1).ToString(CultureInfo.InvariantCulture));
        var name = $"explain_{Interlocked.Increment(ref s_prepared)}";
        await connection.ExecuteAsync($"PREPARE {name} ({string.Join(", ", typed.Select(t => t.Type))}) AS {numbered}", transaction: transaction);
        await connection.ExecuteAsync("SET LOCAL plan_cache_mode = force_generic_plan", transaction: transaction);
        var generic = string.Join('\n', await connection.QueryAsync<string>(
            $"EXPLAIN EXECUTE {name}({string.Join(", ", typed.Select(t => t.Literal))})", transaction: transaction));
        await connection.ExecuteAsync($"DEALLOCATE {name}; SET LOCAL plan_cache_mode = auto", transaction: transaction);
        return [("custom", custom), ("generic", generic)];
    }

    /// <summary>A parameter's PostgreSQL type and its value as a literal (test values only: ids, names, numbers, times).</summary>
    private static (string Type, string Literal) Typed(object? value) => value switch
    {
        Guid id => ("uuid", $"'{id}'"),
        string text => ("text", $"'{text.Replace("'", "''", StringComparison.Ordinal)}'"),
        int number => ("integer", number.ToString(CultureInfo.InvariantCulture)),
        long number => ("bigint", number.ToString(CultureInfo.InvariantCulture)),
        double number => ("double precision", number.ToString("R", CultureInfo.InvariantCulture)),
        DateTimeOffset time => ("timestamptz", $"'{time.UtcDateTime:O}'"),
        SqlMapper.ICustomQueryParameter array => ("uuid[]", $"'{{{string.Join(',', ArrayValues(array))}}}'"),
        null => ("text", "NULL"),
        _ => throw new ArgumentException($"no PostgreSQL type for {value.GetType()}"),
    };

    /// <summary>The values of a store's array parameter, read the way Npgsql would: through the parameter it adds.</summary>
    private static IEnumerable<Guid> ArrayValues(SqlMapper.ICustomQueryParameter array)
    {
        using var command = new Npgsql.NpgsqlCommand();
        array.AddParameter(command, "p");
        return (Guid[])command.Parameters[0].Value!;
    }

    [GeneratedRegex(@"@([A-Za-z]+)\b")]
    private static partial Regex ParameterName();
}
