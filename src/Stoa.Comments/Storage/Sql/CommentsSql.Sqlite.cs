using Stoa.Comments.Core;

namespace Stoa.Comments.Storage.Sql;

/// <summary>
/// SQLite: no FOR UPDATE (BEGIN IMMEDIATE already serialises writers), no LATERAL (a window function instead), no
/// arrays (lists are expanded into parameters, and row sets written one statement per row, in process).
/// </summary>
internal sealed class SqliteCommentsSql : CommentsSql
{
    public override string ForUpdate => "";

    public override string ViewerStates => """
        SELECT comment_id AS CommentId, value AS Vote, 0 AS Liked FROM comment_votes
        WHERE app_id = @AppId AND user_id = @UserId AND comment_id IN @Ids
        UNION ALL
        SELECT comment_id, 0, 1 FROM comment_likes WHERE app_id = @AppId AND user_id = @UserId AND comment_id IN @Ids
        """;

    public override string ViewersOfComment => """
        SELECT user_id AS UserId, value AS Vote, 0 AS Liked FROM comment_votes
        WHERE app_id = @AppId AND comment_id = @Id AND user_id IN @Users
        UNION ALL
        SELECT user_id, 0, 1 FROM comment_likes WHERE app_id = @AppId AND comment_id = @Id AND user_id IN @Users
        """;

    /// <summary>
    /// Dapper expands the array into one parameter per id, each bound as canonical text by the foundation's Guid handler.
    /// (Passing the ids as strings instead matches nothing: Dapper binds expanded strings with a type SQLite compares
    /// differently.)
    /// </summary>
    public override object IdList(IReadOnlyCollection<Guid> ids) => ids.ToArray();

    public override object TextList(IReadOnlyCollection<string> values) => values.ToArray();

    public override string UpsertVotes => """
        INSERT INTO comment_votes (app_id, comment_id, user_id, value, updated_at) VALUES (@AppId, @Id, @UserId, @Value, @Now)
        ON CONFLICT (app_id, comment_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        """;

    public override object VoteRows(Guid appId, Guid commentId, IReadOnlyCollection<(string UserId, int Value)> votes, DateTimeOffset now) =>
        votes.Select(v => new { AppId = appId, Id = commentId, v.UserId, v.Value, Now = now }).ToList();

    public override string InsertLikes => """
        INSERT INTO comment_likes (app_id, comment_id, user_id, created_at) VALUES (@AppId, @Id, @UserId, @Now)
        """;

    public override object LikeRows(Guid appId, Guid commentId, IReadOnlyCollection<string> users, DateTimeOffset now) =>
        users.Select(u => new { AppId = appId, Id = commentId, UserId = u, Now = now }).ToList();

    public override string DeleteVotes => "DELETE FROM comment_votes WHERE app_id = @AppId AND comment_id = @Id AND user_id IN @Users";

    public override string DeleteLikes => "DELETE FROM comment_likes WHERE app_id = @AppId AND comment_id = @Id AND user_id IN @Users";

    protected override string BuildReplies(CommentSort sort, bool viewer) => $"""
        SELECT {ColumnsOf("ranked.")}{(viewer ? ViewerColumns("ranked.id") : "")} FROM (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY parent_id ORDER BY {OrderBy(sort)}) AS rn FROM comments
            WHERE app_id = @AppId AND thread_id = @ThreadId AND parent_id IN @ParentIds) AS ranked
        WHERE ranked.rn <= @PerParent
        """;
}
