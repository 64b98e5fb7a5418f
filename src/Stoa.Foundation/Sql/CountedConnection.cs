using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Stoa.Foundation.Sql;

/// <summary>
/// The connection every store gets from <see cref="StoaDatabase"/>: the provider's own, with each statement it executes
/// counted against the module that opened it. Statement counts are what the N+1 guards of the tests read, and the one
/// place every statement passes, whatever Dapper call sent it. On SQLite it is also where each statement (and commit)
/// gets its span and its <c>db.client.operation.duration</c>; Npgsql does both for PostgreSQL itself. Everything else
/// goes straight to the provider's objects.
/// </summary>
/// <param name="observedDatabase">SQLite's database name, to observe statements; null for a provider that does so itself.</param>
internal sealed class CountedConnection(DbConnection inner, Action countStatement, string? observedDatabase = null) : DbConnection
{
    public DbConnection Inner => inner;

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => inner.ConnectionString = value;
    }

    public override string Database => inner.Database;

    public override string DataSource => inner.DataSource;

    public override string ServerVersion => inner.ServerVersion;

    public override ConnectionState State => inner.State;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

    public override void Close() => inner.Close();

    public override void Open() => inner.Open();

    public override Task OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        new CountedTransaction(this, inner.BeginTransaction(isolationLevel));

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        new CountedTransaction(this, await inner.BeginTransactionAsync(isolationLevel, cancellationToken));

    protected override DbCommand CreateDbCommand() => new CountedCommand(inner.CreateCommand(), this, countStatement);

    /// <summary>A statement's measurement, or null when this provider measures its own.</summary>
    private StatementScope? Observe(string? sql) => observedDatabase is null ? null : StatementScope.Start(sql, observedDatabase);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private sealed class CountedTransaction(CountedConnection connection, DbTransaction inner) : DbTransaction
    {
        public DbTransaction Inner => inner;

        public override IsolationLevel IsolationLevel => inner.IsolationLevel;

        protected override DbConnection DbConnection => connection;

        // SQLite's commit is where the log is synced (FULL): often the slowest step of a write, so it is measured too.
        public override void Commit()
        {
            if (connection.Observe("COMMIT") is not { } scope)
            {
                inner.Commit();
                return;
            }

            Observed.Run(scope, () =>
            {
                inner.Commit();
                return true;
            });
        }

        public override void Rollback() => inner.Rollback();

        public override Task CommitAsync(CancellationToken cancellationToken = default) =>
            connection.Observe("COMMIT") is { } scope ? ObservedCommitAsync(scope, cancellationToken) : inner.CommitAsync(cancellationToken);

        private Task ObservedCommitAsync(StatementScope scope, CancellationToken cancellationToken) =>
            Observed.RunAsync(scope, async () =>
            {
                await inner.CommitAsync(cancellationToken);
                return true;
            });

        public override Task RollbackAsync(CancellationToken cancellationToken = default) => inner.RollbackAsync(cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class CountedCommand(DbCommand inner, CountedConnection connection, Action countStatement) : DbCommand
    {
        [AllowNull]
        public override string CommandText
        {
            get => inner.CommandText;
            set => inner.CommandText = value;
        }

        public override int CommandTimeout
        {
            get => inner.CommandTimeout;
            set => inner.CommandTimeout = value;
        }

        public override CommandType CommandType
        {
            get => inner.CommandType;
            set => inner.CommandType = value;
        }

        public override bool DesignTimeVisible
        {
            get => inner.DesignTimeVisible;
            set => inner.DesignTimeVisible = value;
        }

        public override UpdateRowSource UpdatedRowSource
        {
            get => inner.UpdatedRowSource;
            set => inner.UpdatedRowSource = value;
        }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set => inner.Connection = value is CountedConnection counted ? counted.Inner : value;
        }

        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => inner.Transaction;
            set => inner.Transaction = value is CountedTransaction counted ? counted.Inner : value;
        }

        public override void Cancel() => inner.Cancel();

        public override void Prepare() => inner.Prepare();

        public override Task PrepareAsync(CancellationToken cancellationToken = default) => inner.PrepareAsync(cancellationToken);

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        // Each call goes straight to the provider unless the statement is observed (SQLite); the observed paths live in
        // methods of their own, so that the direct path allocates no closure and no async frame.
        public override int ExecuteNonQuery()
        {
            countStatement();
            return connection.Observe(inner.CommandText) is { } scope ? Observed.Run(scope, inner.ExecuteNonQuery) : inner.ExecuteNonQuery();
        }

        public override object? ExecuteScalar()
        {
            countStatement();
            return connection.Observe(inner.CommandText) is { } scope ? Observed.Run(scope, inner.ExecuteScalar) : inner.ExecuteScalar();
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            countStatement();
            return connection.Observe(inner.CommandText) is { } scope ? ObservedReader(scope, behavior) : inner.ExecuteReader(behavior);
        }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            countStatement();
            return connection.Observe(inner.CommandText) is { } scope
                ? ObservedNonQueryAsync(scope, cancellationToken)
                : inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            countStatement();
            return connection.Observe(inner.CommandText) is { } scope
                ? ObservedScalarAsync(scope, cancellationToken)
                : inner.ExecuteScalarAsync(cancellationToken);
        }

        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            countStatement();
            return connection.Observe(inner.CommandText) is { } scope
                ? ObservedReaderAsync(scope, behavior, cancellationToken)
                : inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        private DbDataReader ObservedReader(StatementScope scope, CommandBehavior behavior) =>
            Observed.Reader(scope, Observed.Run(scope, () => inner.ExecuteReader(behavior), completeOnSuccess: false));

        private Task<int> ObservedNonQueryAsync(StatementScope scope, CancellationToken cancellationToken) =>
            Observed.RunAsync(scope, () => inner.ExecuteNonQueryAsync(cancellationToken));

        private Task<object?> ObservedScalarAsync(StatementScope scope, CancellationToken cancellationToken) =>
            Observed.RunAsync(scope, () => inner.ExecuteScalarAsync(cancellationToken));

        private async Task<DbDataReader> ObservedReaderAsync(StatementScope scope, CommandBehavior behavior, CancellationToken cancellationToken) =>
            Observed.Reader(scope, await Observed.RunAsync(scope, () => inner.ExecuteReaderAsync(behavior, cancellationToken), completeOnSuccess: false));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
