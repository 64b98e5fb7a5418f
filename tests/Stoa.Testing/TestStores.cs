namespace Stoa.Testing;

/// <summary>A fresh, empty store for one test, on either dialect: <c>sqlite</c> or <c>postgres</c>.</summary>
public static class TestStores
{
    public static async Task<string> CreateAsync(string kind) => kind switch
    {
        "sqlite" => CreateSqlite(),
        "postgres" => await (await PostgresServer.Shared).CreateDatabaseAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected sqlite or postgres"),
    };

    public static string CreateSqlite()
    {
        var directory = Directory.CreateTempSubdirectory("stoa-sqlite-").FullName;
        ProcessReaper.AtExit(() =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        });
        return $"sqlite:{Path.Combine(directory, "stoa.db")}";
    }
}
