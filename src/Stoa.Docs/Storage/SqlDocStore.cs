using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Stoa.Docs.Core;
using Stoa.Foundation.Sql;
using Stoa.Ot;

namespace Stoa.Docs.Storage;

/// <summary><see cref="IDocStore"/> over the platform's store (SQLite or PostgreSQL/CockroachDB) with Dapper.</summary>
internal sealed class SqlDocStore(StoaDatabase database, TimeProvider time) : IDocStore
{
    public Task CreateAsync(Guid appId, Guid docId, string text, string? createdBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(DocSql.InsertDoc, new { docId, appId, createdBy, now }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(DocSql.InsertSnapshot, new { docId, version = 0L, appId, text, now }, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public Task<bool> ExistsAsync(Guid appId, Guid docId, CancellationToken cancellationToken) =>
        database.WithConnectionAsync(async connection => await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(DocSql.Exists, new { appId, docId }, cancellationToken: cancellationToken)) > 0, cancellationToken);

    public Task<DocSnapshot?> GetSnapshotAsync(Guid appId, Guid docId, long atOrBefore, CancellationToken cancellationToken) =>
        database.WithConnectionAsync(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<SnapshotRow>(
                new CommandDefinition(DocSql.Snapshot, new { appId, docId, atOrBefore }, cancellationToken: cancellationToken));
            return row is null ? null : new DocSnapshot(row.Version, row.Text);
        }, cancellationToken);

    public Task<IReadOnlyList<CommittedOp>> GetOpsAsync(Guid appId, Guid docId, long after, int limit, CancellationToken cancellationToken) =>
        database.WithConnectionAsync<IReadOnlyList<CommittedOp>>(async connection =>
        {
            var rows = await connection.QueryAsync<OpRow>(new CommandDefinition(
                DocSql.Ops, new { appId, docId, after, until = after + limit }, cancellationToken: cancellationToken));
            return [.. rows.Select(r => new CommittedOp(r.Version, TextOp.Parse(r.Op), r.ClientId, r.Seq, r.UserId))];
        }, cancellationToken);

    public Task<long?> GetHeadAsync(Guid appId, Guid docId, CancellationToken cancellationToken) =>
        database.WithConnectionAsync(connection => connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(DocSql.Head, new { appId, docId }, cancellationToken: cancellationToken)), cancellationToken);

    public async Task<InsertOutcome> TryInsertOpsAsync(Guid appId, Guid docId, IReadOnlyList<CommittedOp> ops, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = ops.Select(op => new
        {
            docId,
            version = op.Version,
            appId,
            op = op.Op.ToJson(),
            clientId = op.ClientId,
            seq = op.Seq,
            userId = op.UserId,
            now,
        }).ToList();
        try
        {
            // One transaction for the whole batch (group commit), retried by the platform on serialization failures.
            await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
                new CommandDefinition(DocSql.InsertOp, rows, transaction, cancellationToken: cancellationToken)), cancellationToken);
            return InsertOutcome.Inserted;
        }
        catch (DbException e) when (UniqueViolation(e) is { } constraint)
        {
            return constraint.Contains("client", StringComparison.Ordinal) ? InsertOutcome.DuplicateSeq : InsertOutcome.VersionTaken;
        }
    }

    public Task<long?> FindVersionAsync(Guid appId, Guid docId, string clientId, long seq, CancellationToken cancellationToken) =>
        database.WithConnectionAsync(connection => connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(DocSql.FindVersion, new { appId, docId, clientId, seq }, cancellationToken: cancellationToken)), cancellationToken);

    public Task SaveSnapshotAsync(Guid appId, Guid docId, DocSnapshot snapshot, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            DocSql.InsertSnapshot, new { docId, version = snapshot.Version, appId, text = snapshot.Text, now }, transaction,
            cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>The violated unique constraint's name or message (which names the columns), or null for any other error.</summary>
    private static string? UniqueViolation(DbException e) => e switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => pg.ConstraintName ?? pg.MessageText,
        SqliteException { SqliteErrorCode: 19 } sqlite when sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal)
            || sqlite.Message.Contains("PRIMARY KEY", StringComparison.Ordinal) => sqlite.Message,
        _ => null,
    };

    private sealed class SnapshotRow
    {
        public long Version { get; set; }

        public string Text { get; set; } = "";
    }

    private sealed class OpRow
    {
        public long Version { get; set; }

        public string Op { get; set; } = "";

        public string ClientId { get; set; } = "";

        public long Seq { get; set; }

        public string? UserId { get; set; }
    }
}
