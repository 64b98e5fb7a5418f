using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Stoa.Foundation.Sql;

/// <summary>
/// Applies each module's numbered migrations once, in order, recording them in <c>schema_migrations</c>.
/// Nodes starting together serialise on a lease row in <c>schema_migrations_lock</c> rather than an advisory lock,
/// which CockroachDB lacks; a crashed holder's lease simply expires.
/// </summary>
public sealed partial class Migrator(StoaDatabase database, IEnumerable<MigrationSet> sets, ILogger<Migrator>? logger = null)
{
    private static readonly TimeSpan s_lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_waitForLock = TimeSpan.FromMinutes(3);

    private readonly ILogger _logger = logger ?? NullLogger<Migrator>.Instance;
    private readonly IReadOnlyList<MigrationSet> _sets = [.. sets];

    private const string BootstrapSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            module TEXT NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL,
            PRIMARY KEY (module, version)
        );
        CREATE TABLE IF NOT EXISTS schema_migrations_lock (
            id INTEGER PRIMARY KEY,
            owner TEXT NOT NULL,
            expires_at BIGINT NOT NULL
        );
        """;

    /// <summary>Applies every pending migration; returns how many this call applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await BootstrapAsync(cancellationToken);
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        await AcquireLockAsync(owner, cancellationToken);
        try
        {
            var applied = 0;
            foreach (var set in _sets)
            {
                foreach (var migration in set.For(database.Dialect))
                {
                    if (await ApplyAsync(migration, owner, cancellationToken))
                    {
                        applied++;
                    }
                }
            }

            return applied;
        }
        finally
        {
            await ReleaseLockAsync(owner);
        }
    }

    /// <summary>The (module, version) pairs recorded as applied.</summary>
    public async Task<IReadOnlyList<(string Module, int Version)>> AppliedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string, int)>(new CommandDefinition(
            "SELECT module, version FROM schema_migrations ORDER BY applied_at, module, version", cancellationToken: cancellationToken));
        return [.. rows];
    }

    private async Task BootstrapAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(BootstrapSql, cancellationToken: cancellationToken));
                return;
            }
            catch (PostgresException ex) when (attempt < 5 && ex.SqlState is PostgresErrorCodes.UniqueViolation
                or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.SerializationFailure)
            {
                // Two nodes racing CREATE TABLE IF NOT EXISTS on PostgreSQL: one wins, the other sees its catalog row.
                await Task.Delay(TransactionRetryPolicy.Default.Delay(attempt), cancellationToken);
            }
        }
    }

    private async Task AcquireLockAsync(string owner, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var holder = await database.InTransactionAsync(async (connection, transaction) =>
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO schema_migrations_lock (id, owner, expires_at) VALUES (1, @owner, @expires)
                    ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                    WHERE schema_migrations_lock.expires_at < @now OR schema_migrations_lock.owner = @owner
                    """, new { owner, expires = now + (long)s_lease.TotalMilliseconds, now }, transaction, cancellationToken: cancellationToken));
                return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                    "SELECT owner FROM schema_migrations_lock WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
            }, cancellationToken);

            if (holder == owner)
            {
                return;
            }

            if (waited.Elapsed > s_waitForLock)
            {
                throw new TimeoutException($"Another node ({holder}) has held the migration lock for over {s_waitForLock}.");
            }

            LogWaiting(_logger, holder ?? "?");
            await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(150)), cancellationToken);
        }
    }

    private async Task<bool> ApplyAsync(Migration migration, string owner, CancellationToken cancellationToken)
    {
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE module = @Module AND version = @Version",
                migration, transaction, cancellationToken: cancellationToken));
            if (done > 0)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (@Module, @Version, @Name, @AppliedAt)",
                new { migration.Module, migration.Version, migration.Name, AppliedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                transaction, cancellationToken: cancellationToken));
            // Extend the lease so a long series of migrations is not taken over halfway.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE schema_migrations_lock SET expires_at = @expires WHERE id = 1 AND owner = @owner",
                new { owner, expires = DateTimeOffset.UtcNow.Add(s_lease).ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
            LogApplied(_logger, migration.Module, migration.Version, migration.Name);
            return true;
        }, cancellationToken);
    }

    private async Task ReleaseLockAsync(string owner)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM schema_migrations_lock WHERE id = 1 AND owner = @owner", new { owner }, transaction,
                cancellationToken: timeout.Token)), timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease expires by itself; failing to release it only delays the next node's check.
            LogReleaseFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Module} {Version:D4}_{Name}")]
    private static partial void LogApplied(ILogger logger, string module, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for the migration lock held by {Holder}")]
    private static partial void LogWaiting(ILogger logger, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the migration lock")]
    private static partial void LogReleaseFailed(ILogger logger, Exception ex);
}
