using System.Data;
using Dapper;
using Stoa.Comments.Core;

namespace Stoa.Comments.Storage.Sql;

/// <summary>
/// PostgreSQL and CockroachDB: lists travel as one array parameter (uuid[], text[], smallint[]) rather than one
/// parameter per value, so a statement's text, and the plan prepared for it, is the same whatever the count; replies
/// come from a LATERAL join.
/// </summary>
internal sealed class PostgresCommentsSql : CommentsSql
{
    public override string ForUpdate => " FOR UPDATE";

    public override string ViewerStates => """
        SELECT comment_id AS CommentId, value AS Vote, 0 AS Liked FROM comment_votes
        WHERE app_id = @AppId AND user_id = @UserId AND comment_id = ANY(@Ids)
        UNION ALL
        SELECT comment_id, 0, 1 FROM comment_likes WHERE app_id = @AppId AND user_id = @UserId AND comment_id = ANY(@Ids)
        """;

    public override string ViewersOfComment => """
        SELECT user_id AS UserId, value AS Vote, 0 AS Liked FROM comment_votes
        WHERE app_id = @AppId AND comment_id = @Id AND user_id = ANY(@Users)
        UNION ALL
        SELECT user_id, 0, 1 FROM comment_likes WHERE app_id = @AppId AND comment_id = @Id AND user_id = ANY(@Users)
        """;

    public override object IdList(IReadOnlyCollection<Guid> ids) => new ArrayParameter<Guid>([.. ids]);

    public override object TextList(IReadOnlyCollection<string> values) => new ArrayParameter<string>([.. values]);

    /// <summary>One row per (user, value) pair of the two arrays; no user appears twice (Core sends each user's final vote).</summary>
    public override string UpsertVotes => """
        INSERT INTO comment_votes (app_id, comment_id, user_id, value, updated_at)
        SELECT @AppId, @Id, t.user_id, t.value, @Now FROM unnest(@Users, @Values) AS t(user_id, value)
        ON CONFLICT (app_id, comment_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        """;

    public override object VoteRows(Guid appId, Guid commentId, IReadOnlyCollection<(string UserId, int Value)> votes, DateTimeOffset now)
    {
        var parameters = new DynamicParameters(new { AppId = appId, Id = commentId, Now = now });
        parameters.Add("Users", new ArrayParameter<string>([.. votes.Select(v => v.UserId)]));
        parameters.Add("Values", new ArrayParameter<short>([.. votes.Select(v => (short)v.Value)]));
        return parameters;
    }

    public override string InsertLikes => """
        INSERT INTO comment_likes (app_id, comment_id, user_id, created_at)
        SELECT @AppId, @Id, t.user_id, @Now FROM unnest(@Users) AS t(user_id)
        """;

    public override object LikeRows(Guid appId, Guid commentId, IReadOnlyCollection<string> users, DateTimeOffset now)
    {
        var parameters = new DynamicParameters(new { AppId = appId, Id = commentId, Now = now });
        parameters.Add("Users", new ArrayParameter<string>([.. users]));
        return parameters;
    }

    public override string DeleteVotes => "DELETE FROM comment_votes WHERE app_id = @AppId AND comment_id = @Id AND user_id = ANY(@Users)";

    public override string DeleteLikes => "DELETE FROM comment_likes WHERE app_id = @AppId AND comment_id = @Id AND user_id = ANY(@Users)";

    /// <summary>
    /// For each parent, a LIMITed scan of that parent's slice of the sort's index: the cost is (parents × per-parent
    /// limit) rows however many replies each parent has.
    /// </summary>
    protected override string BuildReplies(CommentSort sort, bool viewer) => $"""
        SELECT r.*{(viewer ? ViewerColumns("r.id") : "")} FROM unnest(@ParentIds) AS p(pid) CROSS JOIN LATERAL (
            SELECT {Columns} FROM comments
            WHERE app_id = @AppId AND thread_id = @ThreadId AND parent_id = p.pid
            ORDER BY {OrderBy(sort)} LIMIT @PerParent) AS r
        """;

    /// <summary>An array bound as one PostgreSQL array parameter rather than expanded by Dapper into a list of parameters.</summary>
    private sealed class ArrayParameter<T>(T[] values) : SqlMapper.ICustomQueryParameter
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
