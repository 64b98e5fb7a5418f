using Dapper;
using Stoa.Foundation.Sql;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Sql;

public sealed class TransactionRetryTests
{
    [Fact]
    public async Task Two_conflicting_serializable_transactions_both_commit_on_postgres()
    {
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync("postgres")));
        var ct = TestContext.Current.CancellationToken;
        await using (var setup = await database.OpenAsync(ct))
        {
            await setup.ExecuteAsync("CREATE TABLE counters (id INT PRIMARY KEY, value INT NOT NULL); INSERT INTO counters VALUES (1, 0);");
        }

        // Both transactions read the counter before either writes: under SERIALIZABLE the second writer gets
        // SQLSTATE 40001, and the helper must run it again rather than lose its increment.
        var bothRead = new Barrier(2);
        var attempts = 0;
        async Task Increment()
        {
            await database.InTransactionAsync(async (connection, transaction) =>
            {
                var attempt = Interlocked.Increment(ref attempts);
                var value = await connection.QuerySingleAsync<int>("SELECT value FROM counters WHERE id = 1", transaction: transaction);
                if (attempt <= 2)
                {
                    await Task.Run(() => bothRead.SignalAndWait(TimeSpan.FromSeconds(30)), ct);
                }

                await connection.ExecuteAsync("UPDATE counters SET value = @value WHERE id = 1", new { value = value + 1 }, transaction);
            }, ct);
        }

        await Task.WhenAll(Task.Run(Increment, ct), Task.Run(Increment, ct));

        await using var check = await database.OpenAsync(ct);
        (await check.QuerySingleAsync<int>("SELECT value FROM counters WHERE id = 1")).ShouldBe(2);
        attempts.ShouldBeGreaterThan(2, "one of the two transactions must have been retried after 40001");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Many_concurrent_read_modify_write_transactions_lose_no_update(string kind)
    {
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync(kind)));
        var ct = TestContext.Current.CancellationToken;
        await using (var setup = await database.OpenAsync(ct))
        {
            await setup.ExecuteAsync("CREATE TABLE counters (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)");
            await setup.ExecuteAsync("INSERT INTO counters (id, value) VALUES (1, 0)");
        }

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => database.InTransactionAsync(async (c, t) =>
        {
            var value = await c.QuerySingleAsync<long>("SELECT value FROM counters WHERE id = 1", transaction: t);
            await c.ExecuteAsync("UPDATE counters SET value = @value WHERE id = 1", new { value = value + 1 }, t);
        }, ct), ct)));

        await using var check = await database.OpenAsync(ct);
        (await check.QuerySingleAsync<long>("SELECT value FROM counters WHERE id = 1")).ShouldBe(30);
    }

    [Fact]
    public async Task A_transaction_that_conflicts_on_every_attempt_is_store_busy_with_retry_after_and_writes_nothing()
    {
        var policy = new TransactionRetryPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2));
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync("sqlite")), policy);
        var ct = TestContext.Current.CancellationToken;
        await using (var setup = await database.OpenAsync(ct))
        {
            await setup.ExecuteAsync("CREATE TABLE counters (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)");
        }

        var attempts = 0;
        var busy = await Should.ThrowAsync<StoreContentionException>(() => database.InTransactionAsync(async (c, t) =>
        {
            attempts++;
            await c.ExecuteAsync("INSERT INTO counters (id, value) VALUES (@attempts, 1)", new { attempts }, t);
            throw new Microsoft.Data.Sqlite.SqliteException("database is locked", 5);
        }, ct));

        attempts.ShouldBe(3);
        (busy.Status, busy.Code, busy.RetryAfterSeconds).ShouldBe((503, "store_busy", (int?)1));
        busy.LastFailure.ShouldBeOfType<Microsoft.Data.Sqlite.SqliteException>();
        await using var check = await database.OpenAsync(ct);
        (await check.QuerySingleAsync<long>("SELECT COUNT(*) FROM counters")).ShouldBe(0);
    }

    [Fact]
    public void Serialization_failures_and_busy_errors_are_retryable_and_others_are_not()
    {
        StoaDatabase.IsRetryable(new Npgsql.PostgresException("x", "ERROR", "ERROR", "40001")).ShouldBeTrue();
        StoaDatabase.IsRetryable(new Npgsql.PostgresException("x", "ERROR", "ERROR", "40P01")).ShouldBeTrue();
        StoaDatabase.IsRetryable(new Npgsql.PostgresException("x", "ERROR", "ERROR", "23505")).ShouldBeFalse();
        StoaDatabase.IsRetryable(new Microsoft.Data.Sqlite.SqliteException("busy", 5)).ShouldBeTrue();
        StoaDatabase.IsRetryable(new Microsoft.Data.Sqlite.SqliteException("constraint", 19)).ShouldBeFalse();
        StoaDatabase.IsRetryable(new InvalidOperationException()).ShouldBeFalse();
    }

    [Fact]
    public void Backoff_is_jittered_and_capped()
    {
        var policy = new TransactionRetryPolicy(10, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(200));
        var delays = Enumerable.Range(1, 200).Select(i => policy.Delay(1 + (i % 10))).ToList();
        delays.ShouldAllBe(d => d >= TimeSpan.Zero && d <= TimeSpan.FromMilliseconds(200));
        delays.Distinct().Count().ShouldBeGreaterThan(50);
    }
}
