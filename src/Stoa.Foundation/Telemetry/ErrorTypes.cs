using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// The <c>error.type</c> of a failed operation, a small closed set as the semantic conventions ask: a database's own
/// code where it has one (a SQLSTATE such as 40001, SQLite's result code), else the exception's type.
/// </summary>
public static class ErrorTypes
{
    public static string Of(Exception error) => error switch
    {
        SqliteException sqlite => "sqlite_" + sqlite.SqliteErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        DbException { SqlState: { Length: > 0 } sqlState } => sqlState,
        DbException { InnerException: { } inner } => Of(inner),
        OperationCanceledException => "canceled",
        _ => error.GetType().FullName ?? error.GetType().Name,
    };
}
