using Stoa.Comments.Core;
using Stoa.Foundation.Sql;

namespace Stoa.Comments.Storage.Sql;

/// <summary>
/// The comments store's SQL. Statements both dialects share live here (they stay inside what PostgreSQL, CockroachDB
/// and SQLite all accept: row-value comparisons, ON CONFLICT, RETURNING); each dialect's file holds what differs.
/// </summary>
internal abstract class CommentsSql
{
    public const string Columns = """
        id AS Id, thread_id AS ThreadId, parent_id AS ParentId, root_id AS RootId, depth AS Depth, author_id AS AuthorId,
        body AS Body, body_html AS BodyHtml, links AS Links, created_at AS CreatedAt, edited_at AS EditedAt,
        deleted_at AS DeletedAt, upvotes AS Upvotes, downvotes AS Downvotes, likes AS Likes, reply_count AS ReplyCount,
        best AS Best, hot AS Hot, controversy AS Controversy
        """;

    private readonly Dictionary<(CommentSort, bool), string> _listings = [];
    private readonly Lazy<Dictionary<CommentSort, string>> _replies;

    protected CommentsSql()
    {
        foreach (var sort in Enum.GetValues<CommentSort>())
        {
            foreach (var afterCursor in (bool[])[false, true])
            {
                _listings[(sort, afterCursor)] = BuildListing(sort, afterCursor);
            }
        }

        _replies = new(() => Enum.GetValues<CommentSort>().ToDictionary(sort => sort, BuildReplies));
    }

    public static CommentsSql For(SqlDialect dialect) => dialect == SqlDialect.Postgres ? new PostgresCommentsSql() : new SqliteCommentsSql();

    /// <summary>Appended to the row read at the start of a vote or like: lock it now rather than fail at the UPDATE.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>One keyset page: <c>@AppId, @ThreadId, @ParentId (nil UUID: top level), [@Key, @LastId], @Limit</c>.</summary>
    public string Listing(CommentSort sort, bool afterCursor) => _listings[(sort, afterCursor)];

    /// <summary>Up to <c>@PerParent</c> replies of each of <c>@ParentIds</c>, in one statement.</summary>
    public string Replies(CommentSort sort) => _replies.Value[sort];

    /// <summary>The user's votes and likes on <c>@Ids</c>: rows of (CommentId, Vote, Liked).</summary>
    public abstract string ViewerStates { get; }

    /// <summary>The <c>@Ids</c> / <c>@ParentIds</c> parameter value for this dialect.</summary>
    public abstract object IdList(IReadOnlyCollection<Guid> ids);

    public const string SelectComment = $"SELECT {Columns} FROM comments WHERE app_id = @AppId AND id = @Id";

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

    /// <summary>The user's vote and like on one comment, as one row (null when absent).</summary>
    public const string ViewerState = """
        SELECT (SELECT value FROM comment_votes WHERE app_id = @AppId AND comment_id = @Id AND user_id = @UserId) AS Vote,
               (SELECT 1 FROM comment_likes WHERE app_id = @AppId AND comment_id = @Id AND user_id = @UserId) AS Liked
        """;

    public const string UpsertVote = """
        INSERT INTO comment_votes (app_id, comment_id, user_id, value, updated_at) VALUES (@AppId, @Id, @UserId, @Value, @Now)
        ON CONFLICT (app_id, comment_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        """;

    public const string DeleteVote = "DELETE FROM comment_votes WHERE app_id = @AppId AND comment_id = @Id AND user_id = @UserId";

    /// <summary>Absolute values computed from the row read (and locked) earlier in the same transaction.</summary>
    public const string SetVoteCounters = """
        UPDATE comments SET upvotes = @Upvotes, downvotes = @Downvotes, best = @Best, hot = @Hot, controversy = @Controversy
        WHERE app_id = @AppId AND id = @Id
        """;

    public const string InsertLike = """
        INSERT INTO comment_likes (app_id, comment_id, user_id, created_at) VALUES (@AppId, @Id, @UserId, @Now)
        """;

    public const string DeleteLike = "DELETE FROM comment_likes WHERE app_id = @AppId AND comment_id = @Id AND user_id = @UserId";

    public const string SetLikes = "UPDATE comments SET likes = @Likes WHERE app_id = @AppId AND id = @Id";

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

    protected abstract string BuildReplies(CommentSort sort);

    private static string BuildListing(CommentSort sort, bool afterCursor)
    {
        var (column, descending) = Key(sort);
        // A row-value comparison is one range condition on the index's trailing (key, id) columns: a page 10,000 deep
        // starts with one index descent, like the first.
        var after = afterCursor ? $" AND ({column}, id) {(descending ? "<" : ">")} (@Key, @LastId)" : "";
        return $"SELECT {Columns} FROM comments WHERE app_id = @AppId AND thread_id = @ThreadId AND parent_id = @ParentId{after} ORDER BY {OrderBy(sort)} LIMIT @Limit";
    }
}
