using System.Data.Common;
using System.Text;
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
    private const string Module = DocsModule.Name;

    public Task CreateAsync(Guid appId, Guid docId, string text, string? createdBy, DocAccessRule access, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var size = Encoding.UTF8.GetByteCount(text);
        return database.InTransactionAsync(Module, async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(DocSql.InsertDoc,
                new { docId, appId, createdBy, now, access = DocAccessRule.Name(access.Mode), size = (long)size }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(DocSql.InsertSnapshot,
                new { docId, version = 0L, appId, text, size, now }, transaction, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);
    }

    public Task<DocAccessRule?> GetAccessAsync(Guid appId, Guid docId, CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<AccessRow>(
                new CommandDefinition(DocSql.Access, new { appId, docId }, cancellationToken: cancellationToken));
            return row is null ? null : new DocAccessRule(DocAccessRule.Parse(row.Access) ?? AccessMode.Members, row.CreatedBy);
        }, cancellationToken);

    public Task<bool> SetAccessAsync(Guid appId, Guid docId, AccessMode mode, IReadOnlyCollection<string> members, CancellationToken cancellationToken) =>
        database.InTransactionAsync(Module, async (connection, transaction) =>
        {
            var found = await connection.ExecuteAsync(new CommandDefinition(DocSql.SetAccess,
                new { appId, docId, access = DocAccessRule.Name(mode) }, transaction, cancellationToken: cancellationToken));
            if (found == 0)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(DocSql.DeleteMembers, new { appId, docId }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(DocSql.InsertMember,
                members.Distinct(StringComparer.Ordinal).Select(userId => new { docId, userId, appId }).ToList(), transaction, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> GetMembersAsync(Guid appId, Guid docId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(async connection =>
            [.. await connection.QueryAsync<string>(new CommandDefinition(DocSql.Members, new { appId, docId }, cancellationToken: cancellationToken))],
            cancellationToken);

    public Task<bool> IsMemberAsync(Guid appId, Guid docId, string userId, CancellationToken cancellationToken) =>
        ReadAsync(async connection => await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(DocSql.IsMember, new { appId, docId, userId }, cancellationToken: cancellationToken)) > 0, cancellationToken);

    public Task<string> BindClientAsync(Guid appId, Guid docId, string clientId, string userKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return ReadAsync(async connection =>
        {
            // Insert if absent, then read the owner: of two users racing for one client id, both read the winner.
            await connection.ExecuteAsync(new CommandDefinition(DocSql.BindClient, new { docId, clientId, appId, userKey, now }, cancellationToken: cancellationToken));
            return await connection.ExecuteScalarAsync<string>(new CommandDefinition(DocSql.ClientOwner, new { appId, docId, clientId },
                cancellationToken: cancellationToken)) ?? userKey;
        }, cancellationToken);
    }

    public Task<DocSnapshot?> GetSnapshotAsync(Guid appId, Guid docId, CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<SnapshotRow>(
                new CommandDefinition(DocSql.Snapshot, new { appId, docId }, cancellationToken: cancellationToken));
            return row is null ? null : new DocSnapshot(row.Version, row.Text);
        }, cancellationToken);

    public Task<IReadOnlyList<CommittedOp>> GetOpsAsync(Guid appId, Guid docId, long after, int maxCount, long maxBytes, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<CommittedOp>>(async connection =>
        {
            var rows = await connection.QueryAsync<OpRow>(new CommandDefinition(
                DocSql.Ops, new { appId, docId, after, until = after + maxCount, maxBytes }, cancellationToken: cancellationToken));
            return [.. rows.Select(r => new CommittedOp(r.Version, TextOp.Parse(r.Op), r.ClientId, r.Seq, r.UserId))];
        }, cancellationToken);

    public Task<long?> GetHeadAsync(Guid appId, Guid docId, CancellationToken cancellationToken) =>
        ReadAsync(connection => connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(DocSql.Head, new { appId, docId }, cancellationToken: cancellationToken)), cancellationToken);

    public async Task<(InsertOutcome Outcome, long Bytes)> TryInsertOpsAsync(Guid appId, Guid docId, IReadOnlyList<CommittedOp> ops,
        CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(new { docId, appId, now = time.GetUtcNow() });
        long bytes = 0;
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            var json = op.Op.ToJson();
            var size = Encoding.UTF8.GetByteCount(json);
            bytes += size;
            parameters.Add($"v{i}", op.Version);
            parameters.Add($"op{i}", json);
            parameters.Add($"c{i}", op.ClientId);
            parameters.Add($"s{i}", op.Seq);
            parameters.Add($"u{i}", op.UserId);
            parameters.Add($"z{i}", size);
        }

        try
        {
            // One transaction for the whole batch (group commit), retried by the platform on serialization failures.
            await database.InTransactionAsync(Module, async (connection, transaction) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(DocSql.InsertOps(ops.Count), parameters, transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(DocSql.AddBytes, new { appId, docId, bytes }, transaction, cancellationToken: cancellationToken));
                return true;
            }, cancellationToken);
            return (InsertOutcome.Inserted, bytes);
        }
        catch (DbException e) when (UniqueViolation(e) is { } constraint)
        {
            return (constraint.Contains("client", StringComparison.Ordinal) ? InsertOutcome.DuplicateSeq : InsertOutcome.VersionTaken, 0);
        }
    }

    public Task<long?> FindVersionAsync(Guid appId, Guid docId, string? userId, string clientId, long seq, CancellationToken cancellationToken) =>
        ReadAsync(connection => connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(DocSql.FindVersion, new { appId, docId, userId, clientId, seq }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<long> SaveSnapshotAsync(Guid appId, Guid docId, DocSnapshot snapshot, long keepOpsAfter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var size = Encoding.UTF8.GetByteCount(snapshot.Text);
        var version = snapshot.Version;
        var floor = Math.Min(version, keepOpsAfter);
        return database.InTransactionAsync(Module, async (connection, transaction) =>
        {
            CommandDefinition Command(string sql, object parameters) => new(sql, parameters, transaction, cancellationToken: cancellationToken);
            var added = await connection.ExecuteAsync(Command(DocSql.InsertSnapshot, new { docId, version, appId, text = snapshot.Text, size, now })) * (long)size;
            var freed = await connection.ExecuteScalarAsync<long>(Command(DocSql.OlderSnapshotsSize, new { appId, docId, version }));
            await connection.ExecuteAsync(Command(DocSql.DeleteOlderSnapshots, new { appId, docId, version }));
            if (floor > 0)
            {
                freed += await connection.ExecuteScalarAsync<long>(Command(DocSql.CompactedOpsSize, new { appId, docId, floor }));
                await connection.ExecuteAsync(Command(DocSql.DeleteCompactedOps, new { appId, docId, floor }));
            }

            var bytes = added - freed;
            await connection.ExecuteAsync(Command(DocSql.AddBytes, new { appId, docId, bytes }));
            return bytes;
        }, cancellationToken);
    }

    public Task<long> GetAppUsageAsync(Guid appId, CancellationToken cancellationToken) =>
        ReadAsync(connection => connection.ExecuteScalarAsync<long>(
            new CommandDefinition(DocSql.AppUsage, new { appId }, cancellationToken: cancellationToken)), cancellationToken);

    private Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        database.ReadAsync(Module, work, cancellationToken);

    /// <summary>The violated unique constraint's name or message (which names the columns), or null for any other error.</summary>
    private static string? UniqueViolation(DbException e) => e switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => pg.ConstraintName ?? pg.MessageText,
        SqliteException { SqliteErrorCode: 19 } sqlite when sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal)
            || sqlite.Message.Contains("PRIMARY KEY", StringComparison.Ordinal) => sqlite.Message,
        _ => null,
    };

    private sealed class AccessRow
    {
        public string Access { get; set; } = "app";

        public string? CreatedBy { get; set; }
    }

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
