using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Stoa.Foundation.Sql;

/// <summary>
/// One API over the embedded SQLite file and PostgreSQL/CockroachDB. Stores choose their SQL by <see cref="Dialect"/>
/// and run it with Dapper on the connections handed out here; writes go through <see cref="InTransactionAsync{T}"/>,
/// which retries serialization failures (SQLSTATE 40001, CockroachDB's restart errors) and SQLite busy errors.
/// </summary>
public sealed class StoaDatabase : IAsyncDisposable
{
    private const string Unnamed = "platform";

    private readonly ConcurrentDictionary<string, StrongBox<long>> _statements = new(StringComparer.Ordinal);
    private readonly NpgsqlDataSource? _postgres;
    private readonly NpgsqlDataSource? _postgresProbe;
    private readonly string _sqliteConnectionString = "";
    private readonly string? _sqliteDatabase;
    private readonly TransactionRetryPolicy _retry;

    static StoaDatabase()
    {
        SQLitePCL.Batteries_V2.Init();
        GuidTypeHandler.Register();
    }

    public StoaDatabase(StoreSettings settings, TransactionRetryPolicy? retry = null)
    {
        Settings = settings;
        _retry = retry ?? TransactionRetryPolicy.Default;
        if (settings.Dialect == SqlDialect.Postgres)
        {
            var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = "stoa" };
            // Npgsql's spans, like the store's own, only inside a trace: start-up, migrations and background loops
            // outside any span would each begin a trace of one statement.
            // Named as SQLite's statements are ("INSERT comments"), where Npgsql would name every span "postgresql".
            builder.ConfigureTracing(tracing => tracing
                .ConfigureCommandFilter(static _ => Activity.Current is not null)
                .ConfigureCommandSpanNameProvider(static command => SqlSummary.Of(command.CommandText).SpanName));
            _postgres = builder.Build();

            // The readiness probe has a pool of its own: a node whose pool is busy with work is loaded, not cut off
            // from its store, and a probe queued behind that work failed the balancer's check, which took the busiest
            // node (with every socket of its documents) out of rotation just when it was doing the most.
            var probe = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { MaxPoolSize = 1 };
            probe.ApplicationName ??= "stoa-readiness";
            _postgresProbe = new NpgsqlDataSourceBuilder(probe.ConnectionString) { Name = "stoa-readiness" }.Build();
        }
        else
        {
            _sqliteConnectionString = settings.ConnectionString;
            var builder = new SqliteConnectionStringBuilder(settings.ConnectionString);
            _sqliteDatabase = Path.GetFileName(builder.DataSource);
            var directory = Path.GetDirectoryName(builder.DataSource);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            // WAL lets readers proceed while one writer commits; the setting is stored in the file itself.
            using var connection = new SqliteConnection(_sqliteConnectionString);
            connection.Open();
            connection.Execute("PRAGMA journal_mode = WAL;");
        }
    }

    public StoreSettings Settings { get; }

    public SqlDialect Dialect => Settings.Dialect;

    /// <summary>SQL statements sent so far on connections the <paramref name="module"/> opened (one per command executed).</summary>
    public long StatementCount(string module) => _statements.TryGetValue(module, out var count) ? Interlocked.Read(ref count.Value) : 0;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(Unnamed, cancellationToken);

    /// <summary>A connection whose statements count against <paramref name="module"/> (<see cref="StatementCount"/>).</summary>
    public async Task<DbConnection> OpenAsync(string module, CancellationToken cancellationToken)
    {
        var count = _statements.GetOrAdd(module, static _ => new StrongBox<long>());
        return new CountedConnection(await OpenProviderConnectionAsync(cancellationToken), () => Interlocked.Increment(ref count.Value), _sqliteDatabase);
    }

    private async Task<DbConnection> OpenProviderConnectionAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // FULL: in WAL mode NORMAL skips the fsync at each commit, so a power loss or a kernel crash can take back
            // writes already acknowledged to clients. FULL syncs the log at every commit (its cost is measured in
            // docs/operations.md); a crash of the process alone loses nothing either way.
            await connection.ExecuteAsync(new CommandDefinition(
                "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;",
                cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc cref="ReadAsync{T}(string, Func{DbConnection, Task{T}}, CancellationToken)"/>
    public Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        ReadAsync(Unnamed, work, cancellationToken);

    /// <summary>
    /// Runs read-only <paramref name="work"/> on a pooled connection, without a transaction of its own, and runs it
    /// again on a serialization failure as <see cref="InTransactionAsync{T}(string, Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>
    /// does. Where every statement is serializable (CockroachDB, or a PostgreSQL whose
    /// <c>default_transaction_isolation</c> says so) a plain SELECT that reads rows busy writers are changing can be
    /// the one PostgreSQL cancels (40001, "conflict out to pivot"): nothing was read, and running it again is safe,
    /// where passing it on made a follow under load answer 503. The work must be a read, safe to run more than once.
    /// </summary>
    public Task<T> ReadAsync<T>(string module, Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        WithRetriesAsync(module, async _ =>
        {
            await using var connection = await OpenAsync(module, cancellationToken);
            return await work(connection);
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it, retrying the whole unit on a serialization
    /// failure with capped, jittered backoff. The work must therefore be safe to run again from the start (no side
    /// effects outside the transaction until it returns).
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        InTransactionAsync(Unnamed, work, cancellationToken);

    /// <inheritdoc cref="InTransactionAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>
    /// <remarks>
    /// Inside a trace each attempt is a span, <c>{module}.transaction</c>, with its statements under it: an attempt
    /// that lost a serialization conflict ends in error with the SQLSTATE (or SQLite code) as <c>error.type</c>, and
    /// the retries are counted by module (<c>stoa.store.transaction.retries</c>).
    /// </remarks>
    public Task<T> InTransactionAsync<T>(string module, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WithRetriesAsync(module, async attempt =>
        {
            using var span = StartTransactionSpan(module, attempt);
            try
            {
                await using var connection = await OpenAsync(module, cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (Exception ex)
            {
                span.Fail(ex);
                throw;
            }
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="attempt"/> (given its number, from 1) until it does not fail with a retryable error,
    /// with capped, jittered backoff between attempts; past the policy's attempts the last failure becomes 503
    /// <c>store_busy</c>. Other errors pass at once.
    /// </summary>
    private async Task<T> WithRetriesAsync<T>(string module, Func<int, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(number);
            }
            catch (Exception ex) when (IsRetryable(ex) && number < _retry.MaxAttempts)
            {
                CountRetry(module);
                await Task.Delay(_retry.Delay(number), cancellationToken);
            }
            catch (Exception ex) when (IsRetryable(ex))
            {
                throw new StoreContentionException(ex);
            }
        }
    }

    private void CountRetry(string module) => StoreTelemetry.Retries.Add(1,
        new KeyValuePair<string, object?>("dialect", Dialect.ToString().ToLowerInvariant()), new KeyValuePair<string, object?>("module", module));

    /// <summary>The semantic conventions' <c>db.system.name</c>.</summary>
    private string DialectName => Dialect == SqlDialect.Postgres ? "postgresql" : "sqlite";

    private TransactionSpan StartTransactionSpan(string module, int attempt)
    {
        var activity = StoreTelemetry.StartSpan(Telemetry.SpanNames.Of(module, ".transaction"), ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", DialectName);
            activity.SetTag("stoa.module", module);
            activity.SetTag("stoa.store.attempt", attempt);
        }

        return new TransactionSpan(activity);
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        InTransactionAsync<bool>(async (c, t) =>
        {
            await work(c, t);
            return true;
        }, cancellationToken);

    /// <summary>True when the store answers a trivial query within the token's deadline.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = _postgresProbe is null ? await OpenAsync(cancellationToken) : await _postgresProbe.OpenConnectionAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken)) == 1;
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or TimeoutException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Serialization failures (40001) and deadlocks (40P01) abort a transaction that would succeed if run again;
    /// so do SQLite's BUSY and LOCKED when the busy timeout ran out.
    /// </summary>
    public static bool IsRetryable(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        NpgsqlException { InnerException: { } inner } => IsRetryable(inner),
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_postgresProbe is not null)
        {
            await _postgresProbe.DisposeAsync();
        }
    }
}
