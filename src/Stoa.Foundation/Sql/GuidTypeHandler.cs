using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Stoa.Foundation.Sql;

/// <summary>
/// Keys are UUIDs. PostgreSQL stores them as <c>uuid</c>; SQLite has no such type, and Microsoft.Data.Sqlite would
/// bind a Guid as a 16-byte blob, which is unreadable in the sqlite3 shell and compares wrongly with text. This
/// handler binds Guids as canonical lower-case text on SQLite only, and reads either form back.
/// <see cref="Register"/> also installs the other dialect-aware handlers.
/// </summary>
internal sealed class GuidTypeHandler : SqlMapper.TypeHandler<Guid>
{
    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            SqlMapper.AddTypeHandler(new GuidTypeHandler());
            SqlMapper.AddTypeHandler(new NullableGuidTypeHandler());
            SqlMapper.AddTypeHandler(new DateTimeOffsetTypeHandler());
            SqlMapper.AddTypeHandler(new DateTimeOffsetTypeHandler.Nullable());
        }
    }

    public override void SetValue(IDbDataParameter parameter, Guid value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("D");
        }
        else
        {
            parameter.Value = value;
        }
    }

    public override Guid Parse(object value) => value switch
    {
        Guid guid => guid,
        string text => Guid.Parse(text),
        byte[] bytes => new Guid(bytes),
        _ => throw new DataException($"Cannot read a Guid from {value.GetType().Name}."),
    };

    private sealed class NullableGuidTypeHandler : SqlMapper.TypeHandler<Guid?>
    {
        private static readonly GuidTypeHandler s_inner = new();

        public override void SetValue(IDbDataParameter parameter, Guid? value)
        {
            if (value is { } guid)
            {
                s_inner.SetValue(parameter, guid);
            }
            else
            {
                parameter.Value = DBNull.Value;
            }
        }

        public override Guid? Parse(object value) => value is DBNull ? null : s_inner.Parse(value);
    }
}
