using Stoa.Comments.Core;
using Stoa.Foundation.Sql;

namespace Stoa.Comments.Storage.Sql;

/// <summary>
/// The comments store's SQL. Statements both dialects share live here (they stay inside what PostgreSQL, CockroachDB
/// and SQLite all accept: row-value comparisons, ON CONFLICT, RETURNING); each dialect's file holds what differs.
/// </summary>
internal abstract class CommentsSql
{
    private static readonly (string Column, string Property)[] s_columns =
    [
        ("id", "Id"), ("thread_id", "ThreadId"), ("parent_id", "ParentId"), ("root_id", "RootId"), ("depth", "Depth"),
        ("author_id", "AuthorId"), ("body", "Body"), ("body_html", "BodyHtml"), ("links", "Links"), ("created_at", "CreatedAt"),
        ("edited_at", "EditedAt"), ("deleted_at", "DeletedAt"), ("upvotes", "Upvotes"), ("downvotes", "Downvotes"), ("likes", "Likes"),
        ("reply_count", "ReplyCount"), ("best", "Best"), ("hot", "Hot"), ("controversy", "Controversy"),
    ];

    /// <summary>A comment's columns under the names <see cref="CommentRow"/> reads.</summary>
    public static readonly string Columns = ColumnsOf("");

    private readonly Dictionary<(CommentSort, bool, bool), string> _listings = [];
    private readonly Lazy<Dictionary<(CommentSort, bool), string>> _replies;

    protected CommentsSql()
    {
        foreach (var sort in Enum.GetValues<CommentSort>())
        {
            foreach (var afterCursor in (bool[])[false, true])
            {
                foreach (var viewer in (bool[])[false, true])
                {
                    _listings[(sort, afterCursor, viewer)] = BuildListing(sort, afterCursor, viewer);
                }
            }
        }

        _replies = new(() => Enum.GetValues<CommentSort>().SelectMany(sort => (bool[])[false, true], (sort, viewer) => (sort, viewer))
            .ToDictionary(key => key, key => BuildReplies(key.sort, key.viewer)));
    }

    /// <summary>The columns of the comments table aliased <paramref name="alias"/> (joins have columns of the same names).</summary>
    public static string ColumnsOf(string alias) => string.Join(", ", s_columns.Select(c => $"{alias}{c.Column} AS {c.Property}"));

    /// <summary>
    /// The viewer's vote and like on the comment whose id is <paramref name="commentId"/>, as two more columns (<c>MyVote</c>
    /// and <c>MyLike</c>, null when none) read for <c>@UserId</c>. Subqueries rather than joins: PostgreSQL runs each as
    /// one primary-key probe per row the statement returns, on top of the anonymous page's own plan, whereas a join lets
    /// the planner pick by the user's statistics (with few likes it read all of them and filtered the join).
    /// </summary>
    protected static string ViewerColumns(string commentId) =>
        $", (SELECT v.value FROM comment_votes v WHERE v.app_id = @AppId AND v.comment_id = {commentId} AND v.user_id = @UserId) AS MyVote" +
        $", (SELECT 1 FROM comment_likes l WHERE l.app_id = @AppId AND l.comment_id = {commentId} AND l.user_id = @UserId) AS MyLike";

    public static CommentsSql For(SqlDialect dialect) => dialect == SqlDialect.Postgres ? new PostgresCommentsSql() : new SqliteCommentsSql();

    /// <summary>Appended to the row read at the start of a vote or like: lock it now rather than fail at the UPDATE.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// One keyset page: <c>@AppId, @ThreadId, @ParentId (nil UUID: top level), [@Key, @LastId], @Limit</c>; with
    /// <paramref name="viewer"/>, also <c>@UserId</c>'s vote and like on each comment (<see cref="ViewerColumns"/>).
    /// </summary>
    public string Listing(CommentSort sort, bool afterCursor, bool viewer = false) => _listings[(sort, afterCursor, viewer)];

    /// <summary>Up to <c>@PerParent</c> replies of each of <c>@ParentIds</c>, in one statement (with <paramref name="viewer"/>, as <see cref="Listing"/>).</summary>
    public string Replies(CommentSort sort, bool viewer = false) => _replies.Value[(sort, viewer)];

    /// <summary>The votes and likes of <c>@Users</c> on comment <c>@Id</c>: rows of (UserId, Vote, Liked).</summary>
    public abstract string ViewersOfComment { get; }

    /// <summary>The <c>@Users</c> parameter value for this dialect.</summary>
    public abstract object TextList(IReadOnlyCollection<string> values);

    /// <summary>Sets the users' votes (none of them 0) on one comment, with <see cref="VoteRows"/> as its parameters.</summary>
    public abstract string UpsertVotes { get; }

    /// <summary>
    /// The parameters of <see cref="UpsertVotes"/>: on PostgreSQL one set of column arrays (one statement whatever the
    /// count), on SQLite one set per row (Dapper runs the statement for each; in-process statements cost no round trip).
    /// </summary>
    public abstract object VoteRows(Guid appId, Guid commentId, IReadOnlyCollection<(string UserId, int Value)> votes, DateTimeOffset now);

    /// <summary>Records the users' likes on one comment, with <see cref="LikeRows"/> as its parameters.</summary>
    public abstract string InsertLikes { get; }

    /// <summary>The parameters of <see cref="InsertLikes"/>, as <see cref="VoteRows"/> makes them.</summary>
    public abstract object LikeRows(Guid appId, Guid commentId, IReadOnlyCollection<string> users, DateTimeOffset now);

    /// <summary>The user's votes and likes on <c>@Ids</c>: rows of (CommentId, Vote, Liked).</summary>
    public abstract string ViewerStates { get; }

    /// <summary>The <c>@Ids</c> / <c>@ParentIds</c> parameter value for this dialect.</summary>
    public abstract object IdList(IReadOnlyCollection<Guid> ids);

    public static readonly string SelectComment = $"SELECT {Columns} FROM comments WHERE app_id = @AppId AND id = @Id";

    /// <summary>A comment with <c>@UserId</c>'s vote and like on it.</summary>
    public static readonly string SelectViewedComment =
        $"SELECT {ColumnsOf("c.")}{ViewerColumns("c.id")} FROM comments c WHERE c.app_id = @AppId AND c.id = @Id";

    public const string SelectThread = """
        SELECT comment_count AS CommentCount, locked AS Locked FROM comment_threads WHERE app_id = @AppId AND thread_id = @ThreadId
        """;

    public const string SelectThreadLocked = "SELECT locked FROM comment_threads WHERE app_id = @AppId AND thread_id = @ThreadId";

    /// <summary>Counts the new comment in its thread (creating the thread) and says whether the thread is locked.</summary>
    public const string CountCommentInThread = """
        INSERT INTO comment_threads (app_id, thread_id, comment_count, locked, created_at) VALUES (@AppId, @ThreadId, 1, 0, @Now)
        ON CONFLICT (app_id, thread_id) DO UPDATE SET comment_count = comment_threads.comment_count + 1
        RETURNING locked
        """;

    public const string SetThreadLocked = """
        INSERT INTO comment_threads (app_id, thread_id, comment_count, locked, created_at) VALUES (@AppId, @ThreadId, 0, @Locked, @Now)
        ON CONFLICT (app_id, thread_id) DO UPDATE SET locked = excluded.locked
        RETURNING comment_count AS CommentCount, locked AS Locked
        """;

    public const string UncountDeletedComment = """
        UPDATE comment_threads SET comment_count = comment_count - 1 WHERE app_id = @AppId AND thread_id = @ThreadId
        """;

    public const string InsertComment = """
        INSERT INTO comments (app_id, id, thread_id, parent_id, root_id, depth, author_id, body, body_html, links, created_at,
            upvotes, downvotes, likes, reply_count, best, hot, controversy)
        VALUES (@AppId, @Id, @ThreadId, @ParentId, @RootId, @Depth, @AuthorId, @Body, @BodyHtml, @Links, @CreatedAt,
            0, 0, 0, 0, 0, @Hot, 0)
        """;

    public const string CountReply = "UPDATE comments SET reply_count = reply_count + 1 WHERE app_id = @AppId AND id = @ParentId";

    public const string EditComment = """
        UPDATE comments SET body = @Body, body_html = @BodyHtml, links = @Links, edited_at = @Now WHERE app_id = @AppId AND id = @Id
        """;

    public const string SoftDeleteComment = """
        UPDATE comments SET body = '', body_html = '', links = NULL, deleted_at = @Now WHERE app_id = @AppId AND id = @Id
        """;

    /// <summary>The users' votes on one comment, removed (<c>@Users</c>, as <see cref="TextList"/> makes it).</summary>
    public abstract string DeleteVotes { get; }

    /// <summary>The users' likes on one comment, removed (<c>@Users</c>).</summary>
    public abstract string DeleteLikes { get; }

    /// <summary>Absolute values computed in Core from the row read (and locked) earlier in the same transaction.</summary>
    public const string SetCounters = """
        UPDATE comments SET upvotes = @Upvotes, downvotes = @Downvotes, likes = @Likes, best = @Best, hot = @Hot, controversy = @Controversy
        WHERE app_id = @AppId AND id = @Id
        """;

    /// <summary>The column a sort orders by, and whether it runs descending.</summary>
    public static (string Column, bool Descending) Key(CommentSort sort) => sort switch
    {
        CommentSort.New => ("created_at", true),
        CommentSort.Old => ("created_at", false),
        CommentSort.Top => ("upvotes", true),
        CommentSort.Replies => ("reply_count", true),
        CommentSort.Best => ("best", true),
        CommentSort.Hot => ("hot", true),
        _ => ("controversy", true),
    };

    public static string OrderBy(CommentSort sort, string prefix = "")
    {
        var (column, descending) = Key(sort);
        var direction = descending ? "DESC" : "ASC";
        return $"{prefix}{column} {direction}, {prefix}id {direction}";
    }

    protected abstract string BuildReplies(CommentSort sort, bool viewer);

    private static string BuildListing(CommentSort sort, bool afterCursor, bool viewer)
    {
        var (column, descending) = Key(sort);
        // A row-value comparison is one range condition on the index's trailing (key, id) columns: a page 10,000 deep
        // starts with one index descent, like the first.
        var after = afterCursor ? $" AND (c.{column}, c.id) {(descending ? "<" : ">")} (@Key, @LastId)" : "";
        return $"""
            SELECT {ColumnsOf("c.")}{(viewer ? ViewerColumns("c.id") : "")} FROM comments c
            WHERE c.app_id = @AppId AND c.thread_id = @ThreadId AND c.parent_id = @ParentId{after} ORDER BY {OrderBy(sort, "c.")} LIMIT @Limit
            """;
    }
}
