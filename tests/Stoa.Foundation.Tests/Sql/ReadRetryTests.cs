using Dapper;
using Npgsql;
using Stoa.Foundation.Sql;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Sql;

/// <summary>
/// Reads outside a transaction (<see cref="StoaDatabase.ReadAsync{T}(Func{System.Data.Common.DbConnection, Task{T}}, CancellationToken)"/>)
/// are retried on serialization failures as transactions are: where every statement is serializable (CockroachDB, the
/// test PostgreSQL) a plain SELECT can be the statement PostgreSQL cancels.
/// </summary>
public sealed class ReadRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_plain_select_cancelled_by_postgres_for_serializability_is_run_again_and_answers()
    {
        var url = await TestStores.CreateAsync("postgres");
        await using var database = new StoaDatabase(StoreSettings.Parse(url));
        await using (var setup = await database.OpenAsync(Ct))
        {
            await setup.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL); INSERT INTO t VALUES (1, 0), (2, 0);");
        }

        var connectionString = StoreSettings.Parse(url).ConnectionString;
        await using var pivot = new NpgsqlConnection(connectionString);
        await using var earlier = new NpgsqlConnection(connectionString);
        await pivot.OpenAsync(Ct);
        await earlier.OpenAsync(Ct);

        // The read-only anomaly (Fekete et al.): the pivot reads row 1, a transaction that commits first writes it,
        // the pivot writes row 2 and commits while the reader, whose snapshot came after that first commit, has not
        // yet read row 2. Reading row 2's old version then closes a cycle only the reader can break.
        await using var pivotTransaction = await pivot.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, Ct);
        await pivot.ExecuteScalarAsync<int>("SELECT v FROM t WHERE id = 1", transaction: pivotTransaction);
        await using (var first = await earlier.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, Ct))
        {
            await earlier.ExecuteAsync("UPDATE t SET v = 1 WHERE id = 1", transaction: first);
            await first.CommitAsync(Ct);
        }

        await pivot.ExecuteAsync("UPDATE t SET v = 1 WHERE id = 2", transaction: pivotTransaction);

        var attempts = 0;
        string? firstFailure = null;
        var read = database.ReadAsync(async connection =>
        {
            try
            {
                // The first attempt takes its snapshot, sleeps (a one-time filter, before the scan), then reads row 2.
                return ++attempts == 1
                    ? await connection.ExecuteScalarAsync<int>("SELECT v FROM t WHERE id = 2 AND (SELECT true FROM pg_sleep(1))")
                    : await connection.ExecuteScalarAsync<int>("SELECT v FROM t WHERE id = 2");
            }
            catch (PostgresException ex)
            {
                firstFailure ??= ex.SqlState;
                throw;
            }
        }, Ct);

        await using (var watcher = new NpgsqlConnection(connectionString))
        {
            await watcher.OpenAsync(Ct);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await watcher.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") == 0)
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, "the read never started sleeping");
                await Task.Delay(10, Ct);
            }
        }

        await pivotTransaction.CommitAsync(Ct);

        (await read).ShouldBe(1, "the second attempt reads the pivot's committed write");
        firstFailure.ShouldBe(PostgresErrorCodes.SerializationFailure);
        attempts.ShouldBe(2);
    }

    [Fact]
    public async Task A_read_that_conflicts_on_every_attempt_is_store_busy_with_retry_after()
    {
        var policy = new TransactionRetryPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2));
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync("sqlite")), policy);
        var attempts = 0;

        var busy = await Should.ThrowAsync<StoreContentionException>(() => database.ReadAsync<int>(_ =>
        {
            attempts++;
            throw new PostgresException("could not serialize access", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure);
        }, Ct));

        attempts.ShouldBe(3);
        (busy.Status, busy.Code, busy.RetryAfterSeconds).ShouldBe((503, "store_busy", (int?)1));
    }

    [Fact]
    public async Task A_read_failing_for_any_other_reason_is_not_run_again()
    {
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync("sqlite")));
        var attempts = 0;

        var failure = await Should.ThrowAsync<Microsoft.Data.Sqlite.SqliteException>(() => database.ReadAsync(connection =>
        {
            attempts++;
            return connection.ExecuteScalarAsync<int>("SELECT v FROM no_such_table");
        }, Ct));

        attempts.ShouldBe(1);
        failure.SqliteErrorCode.ShouldBe(1);
    }
}
