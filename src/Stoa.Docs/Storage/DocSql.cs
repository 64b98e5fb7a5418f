namespace Stoa.Docs.Storage;

/// <summary>
/// The module's SQL. Both dialects accept every statement (types differ only in the migrations, and the foundation's
/// type handlers bind ids and times per dialect), so there is one set; every statement filters on app_id.
/// </summary>
internal static class DocSql
{
    public const string InsertDoc = """
        INSERT INTO docs (id, app_id, created_by, created_at) VALUES (@docId, @appId, @createdBy, @now)
        """;

    public const string Exists = "SELECT COUNT(*) FROM docs WHERE app_id = @appId AND id = @docId";

    public const string Snapshot = """
        SELECT version AS Version, text AS Text FROM doc_snapshots
        WHERE app_id = @appId AND doc_id = @docId AND version <= @atOrBefore
        ORDER BY version DESC LIMIT 1
        """;

    public const string Ops = """
        SELECT version AS Version, op AS Op, client_id AS ClientId, seq AS Seq, user_id AS UserId FROM doc_ops
        WHERE app_id = @appId AND doc_id = @docId AND version > @after AND version <= @until
        ORDER BY version
        """;

    public const string Head = """
        SELECT COALESCE((SELECT MAX(version) FROM doc_ops WHERE app_id = @appId AND doc_id = @docId), 0)
        FROM docs WHERE app_id = @appId AND id = @docId
        """;

    public const string InsertOp = """
        INSERT INTO doc_ops (doc_id, version, app_id, op, client_id, seq, user_id, created_at)
        VALUES (@docId, @version, @appId, @op, @clientId, @seq, @userId, @now)
        """;

    public const string FindVersion = """
        SELECT version FROM doc_ops WHERE app_id = @appId AND doc_id = @docId AND client_id = @clientId AND seq = @seq
        """;

    public const string InsertSnapshot = """
        INSERT INTO doc_snapshots (doc_id, version, app_id, text, created_at) VALUES (@docId, @version, @appId, @text, @now)
        ON CONFLICT (doc_id, version) DO NOTHING
        """;
}
