namespace Stoa.Foundation.Sql;

/// <summary>The SQL dialects a store can speak. PostgreSQL SQL is kept inside what CockroachDB also accepts.</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}
