using Dapper;
using Stoa.Foundation.Sql;
using Stoa.Testing;

namespace Stoa.Server.Tests.Cli;

public sealed class MigrateCommandTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Migrate_applies_pending_migrations_without_serving_and_is_idempotent(string kind)
    {
        var store = await TestStores.CreateAsync(kind);
        var environment = new Dictionary<string, string> { ["Stoa__Store"] = store };

        var first = await StoaProcess.RunAsync(environment, "migrate");
        first.ExitCode.ShouldBe(0, first.Stderr);
        first.Stdout.ShouldMatch(@"\d+ migration\(s\) applied to ");

        var second = await StoaProcess.RunAsync(environment, "migrate");
        second.ExitCode.ShouldBe(0, second.Stderr);
        second.Stdout.ShouldStartWith("0 migration(s) applied");

        await using var database = new StoaDatabase(StoreSettings.Parse(store));
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        var recorded = await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM schema_migrations");
        first.Stdout.ShouldStartWith($"{recorded} migration(s) applied");
    }

    [Fact]
    public async Task Migrate_with_a_bad_store_setting_exits_2_naming_it()
    {
        var result = await StoaProcess.RunAsync(new Dictionary<string, string> { ["Stoa__Store"] = "nosql://x" }, "migrate");
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("Stoa:Store:");
    }
}
