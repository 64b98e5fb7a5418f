using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Stoa.Foundation.Sql;

/// <summary>
/// Times are UTC. PostgreSQL stores <c>timestamptz</c>; SQLite stores fixed-width ISO-8601 text
/// (<c>2026-11-21T05:16:43.1234567Z</c>), which sorts lexically in time order so indexes on it work.
/// </summary>
internal sealed class DateTimeOffsetTypeHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public const string SqliteFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.UtcDateTime.ToString(SqliteFormat, CultureInfo.InvariantCulture);
        }
        else
        {
            parameter.Value = value.ToUniversalTime();
        }
    }

    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTimeOffset dto => dto,
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new DataException($"Cannot read a time from {value.GetType().Name}."),
    };

    internal sealed class Nullable : SqlMapper.TypeHandler<DateTimeOffset?>
    {
        private static readonly DateTimeOffsetTypeHandler s_inner = new();

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset? value)
        {
            if (value is { } v)
            {
                s_inner.SetValue(parameter, v);
            }
            else
            {
                parameter.Value = DBNull.Value;
            }
        }

        public override DateTimeOffset? Parse(object value) => value is DBNull ? null : s_inner.Parse(value);
    }
}
