using Npgsql;
using Stoa.Foundation.Sql;

namespace Stoa.Foundation.Tests.Sql;

public sealed class StoreSettingsTests
{
    [Fact]
    public void Sqlite_paths_become_absolute_file_paths()
    {
        var settings = StoreSettings.Parse("sqlite:data/stoa.db");
        settings.Dialect.ShouldBe(SqlDialect.Sqlite);
        settings.ConnectionString.ShouldContain(Path.Combine(Directory.GetCurrentDirectory(), "data", "stoa.db"));
    }

    [Fact]
    public void Postgres_urls_carry_credentials_database_and_parameters()
    {
        var settings = StoreSettings.Parse("postgres://stoa:p%40ss@db.internal:26257/comments?sslmode=require&application_name=stoa");
        settings.Dialect.ShouldBe(SqlDialect.Postgres);
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        builder.Host.ShouldBe("db.internal");
        builder.Port.ShouldBe(26257);
        builder.Database.ShouldBe("comments");
        builder.Username.ShouldBe("stoa");
        builder.Password.ShouldBe("p@ss");
        builder.SslMode.ShouldBe(SslMode.Require);
        settings.Description.ShouldNotContain("p@ss");
    }

    [Fact]
    public void Postgres_connections_prepare_statements_and_keep_them_across_checkouts()
    {
        var defaults = new NpgsqlConnectionStringBuilder(StoreSettings.Parse("postgres://db/stoa").ConnectionString);
        (defaults.MaxAutoPrepare, defaults.AutoPrepareMinUsages, defaults.NoResetOnClose).ShouldBe((StoreSettings.MaxAutoPrepare, 5, true));

        var npgsqlDefaults = new NpgsqlConnectionStringBuilder(
            StoreSettings.Parse("postgres://db/stoa?max_auto_prepare=0&reset_on_close=true").ConnectionString);
        (npgsqlDefaults.MaxAutoPrepare, npgsqlDefaults.NoResetOnClose).ShouldBe((0, false));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("postgres://host/db?reset_on_close=sometimes", "'reset_on_close' has an invalid value")]
    [InlineData("mysql://x/y", "neither sqlite:PATH nor a postgres:// URL")]
    [InlineData("postgres://host:5432/", "names no database")]
    [InlineData("postgres://host/db?colour=red", "unknown postgres:// URL parameter 'colour'")]
    [InlineData("sqlite:", "no valid file path")]
    public void Invalid_values_are_explained(string value, string expected)
    {
        StoreSettings.TryParse(value, out _, out var error).ShouldBeFalse();
        error.ShouldContain(expected);
    }

    [Fact]
    public void Passwords_are_never_echoed_in_errors()
    {
        StoreSettings.TryParse("mssql://sa:hunter2@host/db", out _, out var error).ShouldBeFalse();
        error.ShouldNotContain("hunter2");
    }
}
