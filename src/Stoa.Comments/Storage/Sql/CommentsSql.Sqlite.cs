using Stoa.Comments.Core;

namespace Stoa.Comments.Storage.Sql;

/// <summary>SQLite: no FOR UPDATE (BEGIN IMMEDIATE already serialises writers), no LATERAL (a window function instead).</summary>
internal sealed class SqliteCommentsSql : CommentsSql
{
    public override string ForUpdate => "";

    public override string ViewerStates => """
        SELECT comment_id AS CommentId, value AS Vote, 0 AS Liked FROM comment_votes
        WHERE app_id = @AppId AND user_id = @UserId AND comment_id IN @Ids
        UNION ALL
        SELECT comment_id, 0, 1 FROM comment_likes WHERE app_id = @AppId AND user_id = @UserId AND comment_id IN @Ids
        """;

    /// <summary>
    /// Dapper expands the array into one parameter per id, each bound as canonical text by the foundation's Guid handler.
    /// (Passing the ids as strings instead matches nothing: Dapper binds expanded strings with a type SQLite compares
    /// differently.)
    /// </summary>
    public override object IdList(IReadOnlyCollection<Guid> ids) => ids.ToArray();

    protected override string BuildReplies(CommentSort sort, bool viewer) => $"""
        SELECT {ColumnsOf("ranked.")}{(viewer ? ViewerColumns : "")} FROM (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY parent_id ORDER BY {OrderBy(sort)}) AS rn FROM comments
            WHERE app_id = @AppId AND thread_id = @ThreadId AND parent_id IN @ParentIds) AS ranked{(viewer ? ViewerJoins("ranked.id") : "")}
        WHERE ranked.rn <= @PerParent
        """;
}
