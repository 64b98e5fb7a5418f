using Dapper;
using Stoa.Foundation.Sql;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Sql;

public sealed class MigratorTests
{
    private static readonly MigrationSet s_widgets = new("widgets", typeof(MigratorTests).Assembly);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Applies_every_migration_once_in_order(string kind)
    {
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync(kind)));
        var migrator = new Migrator(database, [s_widgets]);

        (await migrator.MigrateAsync(TestContext.Current.CancellationToken)).ShouldBe(3);
        (await migrator.MigrateAsync(TestContext.Current.CancellationToken)).ShouldBe(0);

        var applied = await migrator.AppliedAsync(TestContext.Current.CancellationToken);
        applied.ShouldBe([("widgets", 1), ("widgets", 2), ("widgets", 3)]);
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        (await connection.QuerySingleAsync<int>("SELECT size FROM widgets WHERE id = 'seed'")).ShouldBe(3);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Concurrent_starts_apply_each_migration_exactly_once(string kind)
    {
        var store = StoreSettings.Parse(await TestStores.CreateAsync(kind));
        var databases = Enumerable.Range(0, 5).Select(_ => new StoaDatabase(store)).ToList();
        try
        {
            // Five nodes starting at once, each with its own connection pool, racing for the lease.
            var results = await Task.WhenAll(databases.Select(db =>
                Task.Run(() => new Migrator(db, [s_widgets]).MigrateAsync(TestContext.Current.CancellationToken))));

            results.Sum().ShouldBe(3);
            await using var connection = await databases[0].OpenAsync(TestContext.Current.CancellationToken);
            (await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM widgets")).ShouldBe(1);
            (await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(3);
            (await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM schema_migrations_lock")).ShouldBe(0);
        }
        finally
        {
            foreach (var db in databases)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_failing_migration_is_not_recorded_and_leaves_no_partial_change(string kind)
    {
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync(kind)));
        await new Migrator(database, [s_widgets]).MigrateAsync(TestContext.Current.CancellationToken);

        // Re-running 0003 by hand under another module name hits the primary key: the whole unit must roll back.
        var broken = new Migration("broken", 1, "dup", "INSERT INTO widgets (id, name) VALUES ('other', 'x'); INSERT INTO widgets (id, name) VALUES ('seed', 'dup');");
        await Should.ThrowAsync<Exception>(() => database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(broken.Sql, transaction: t);
        }, TestContext.Current.CancellationToken));

        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        (await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM widgets WHERE id = 'other'")).ShouldBe(0);
    }

    [Fact]
    public void Misnamed_migration_resources_are_rejected()
    {
        var set = new MigrationSet("widgets", typeof(MigratorTests).Assembly);
        set.For(SqlDialect.Sqlite).Select(m => m.Version).ShouldBe([1, 2, 3]);
        set.For(SqlDialect.Postgres).Select(m => m.Name).ShouldBe(["create_widgets", "add_widget_size", "seed_widget"]);
    }
}
