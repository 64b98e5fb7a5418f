namespace Stoa.Docs.Storage;

/// <summary>
/// The module's SQL. Both dialects accept every statement (types differ only in the migrations, and the foundation's
/// type handlers bind ids and times per dialect), so there is one set; every statement filters on app_id.
/// </summary>
internal static class DocSql
{
    public const string InsertDoc = """
        INSERT INTO docs (id, app_id, created_by, created_at, access, bytes) VALUES (@docId, @appId, @createdBy, @now, @access, @size)
        """;

    public const string Access = "SELECT access AS Access, created_by AS CreatedBy FROM docs WHERE app_id = @appId AND id = @docId";

    public const string SetAccess = "UPDATE docs SET access = @access WHERE app_id = @appId AND id = @docId";

    public const string DeleteMembers = "DELETE FROM doc_members WHERE app_id = @appId AND doc_id = @docId";

    public const string InsertMember = """
        INSERT INTO doc_members (doc_id, user_id, app_id) VALUES (@docId, @userId, @appId) ON CONFLICT (doc_id, user_id) DO NOTHING
        """;

    public const string Members = "SELECT user_id FROM doc_members WHERE app_id = @appId AND doc_id = @docId ORDER BY user_id";

    public const string IsMember = "SELECT COUNT(*) FROM doc_members WHERE app_id = @appId AND doc_id = @docId AND user_id = @userId";

    public const string BindClient = """
        INSERT INTO doc_clients (doc_id, client_id, app_id, user_key, created_at) VALUES (@docId, @clientId, @appId, @userKey, @now)
        ON CONFLICT (doc_id, client_id) DO NOTHING
        """;

    public const string ClientOwner = "SELECT user_key FROM doc_clients WHERE app_id = @appId AND doc_id = @docId AND client_id = @clientId";

    public const string Snapshot = """
        SELECT version AS Version, text AS Text FROM doc_snapshots
        WHERE app_id = @appId AND doc_id = @docId
        ORDER BY version DESC LIMIT 1
        """;

    /// <summary>
    /// A page of ops: the running total of their stored sizes stops it after the op that reaches @maxBytes, so one
    /// read never holds more than about that much however large the ops are (and always holds the first).
    /// </summary>
    public const string Ops = """
        SELECT version AS Version, op AS Op, client_id AS ClientId, seq AS Seq, user_id AS UserId FROM doc_ops
        WHERE app_id = @appId AND doc_id = @docId AND version > @after AND version <= (
            SELECT COALESCE(MAX(version), @after) FROM (
                SELECT version, size, SUM(size) OVER (ORDER BY version) AS running FROM doc_ops
                WHERE app_id = @appId AND doc_id = @docId AND version > @after AND version <= @until
            ) AS sized
            WHERE running - size < @maxBytes)
        ORDER BY version
        """;

    public const string Head = """
        SELECT COALESCE((SELECT MAX(version) FROM doc_ops WHERE app_id = @appId AND doc_id = @docId),
                        (SELECT MAX(version) FROM doc_snapshots WHERE app_id = @appId AND doc_id = @docId), 0)
        FROM docs WHERE app_id = @appId AND id = @docId
        """;

    /// <summary>
    /// One statement for a batch of <paramref name="rows"/> ops (parameters <c>@v{i}</c>, <c>@op{i}</c>, <c>@c{i}</c>,
    /// <c>@s{i}</c>, <c>@u{i}</c>, <c>@z{i}</c>): a group commit is one round trip, not one per op.
    /// </summary>
    public static string InsertOps(int rows)
    {
        var sql = new System.Text.StringBuilder("INSERT INTO doc_ops (doc_id, version, app_id, op, client_id, seq, user_id, size, created_at) VALUES ");
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"(@docId, @v{i}, @appId, @op{i}, @c{i}, @s{i}, @u{i}, @z{i}, @now)");
        }

        return sql.ToString();
    }

    public const string AddBytes = "UPDATE docs SET bytes = bytes + @bytes WHERE app_id = @appId AND id = @docId";

    public const string FindVersion = """
        SELECT version FROM doc_ops
        WHERE app_id = @appId AND doc_id = @docId AND client_id = @clientId AND seq = @seq AND (user_id = @userId OR (user_id IS NULL AND @userId IS NULL))
        """;

    public const string InsertSnapshot = """
        INSERT INTO doc_snapshots (doc_id, version, app_id, text, size, created_at) VALUES (@docId, @version, @appId, @text, @size, @now)
        ON CONFLICT (doc_id, version) DO NOTHING
        """;

    public const string OlderSnapshotsSize = """
        SELECT COALESCE(SUM(size), 0) FROM doc_snapshots WHERE app_id = @appId AND doc_id = @docId AND version < @version
        """;

    public const string DeleteOlderSnapshots = "DELETE FROM doc_snapshots WHERE app_id = @appId AND doc_id = @docId AND version < @version";

    public const string CompactedOpsSize = """
        SELECT COALESCE(SUM(size), 0) FROM doc_ops WHERE app_id = @appId AND doc_id = @docId AND version <= @floor
        """;

    public const string DeleteCompactedOps = "DELETE FROM doc_ops WHERE app_id = @appId AND doc_id = @docId AND version <= @floor";

    public const string AppUsage = "SELECT COALESCE(SUM(bytes), 0) FROM docs WHERE app_id = @appId";
}
