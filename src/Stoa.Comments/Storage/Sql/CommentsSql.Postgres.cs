using System.Data;
using Dapper;
using Stoa.Comments.Core;

namespace Stoa.Comments.Storage.Sql;

/// <summary>PostgreSQL and CockroachDB: id lists travel as one uuid[] parameter; replies come from a LATERAL join.</summary>
internal sealed class PostgresCommentsSql : CommentsSql
{
    public override string ForUpdate => " FOR UPDATE";

    public override string ViewerStates => """
        SELECT comment_id AS CommentId, value AS Vote, 0 AS Liked FROM comment_votes
        WHERE app_id = @AppId AND user_id = @UserId AND comment_id = ANY(@Ids)
        UNION ALL
        SELECT comment_id, 0, 1 FROM comment_likes WHERE app_id = @AppId AND user_id = @UserId AND comment_id = ANY(@Ids)
        """;

    public override object IdList(IReadOnlyCollection<Guid> ids) => new UuidArray([.. ids]);

    /// <summary>
    /// For each parent, a LIMITed scan of that parent's slice of the sort's index: the cost is (parents × per-parent
    /// limit) rows however many replies each parent has.
    /// </summary>
    protected override string BuildReplies(CommentSort sort, bool viewer) => $"""
        SELECT r.*{(viewer ? ViewerColumns : "")} FROM unnest(@ParentIds) AS p(pid) CROSS JOIN LATERAL (
            SELECT {Columns} FROM comments
            WHERE app_id = @AppId AND thread_id = @ThreadId AND parent_id = p.pid
            ORDER BY {OrderBy(sort)} LIMIT @PerParent) AS r{(viewer ? ViewerJoins("r.id") : "")}
        """;

    /// <summary>A Guid[] bound as one uuid[] parameter rather than expanded into a list of parameters.</summary>
    private sealed class UuidArray(Guid[] values) : SqlMapper.ICustomQueryParameter
    {
        public void AddParameter(IDbCommand command, string name)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = values;
            command.Parameters.Add(parameter);
        }
    }
}
