using System.Collections;
using System.Data;
using System.Data.Common;

namespace Stoa.Foundation.Sql;

/// <summary>
/// A SQLite reader whose statement ends when the reader is closed: SQLite runs a query step by step as rows are read,
/// so the span and the duration cover the reading, not only the first step. Everything else is the provider's.
/// </summary>
internal sealed class ObservedDataReader(DbDataReader inner, StatementScope scope) : DbDataReader
{
    private StatementScope _scope = scope;

    public override int Depth => inner.Depth;

    public override int FieldCount => inner.FieldCount;

    public override bool HasRows => inner.HasRows;

    public override bool IsClosed => inner.IsClosed;

    public override int RecordsAffected => inner.RecordsAffected;

    public override int VisibleFieldCount => inner.VisibleFieldCount;

    public override object this[int ordinal] => inner[ordinal];

    public override object this[string name] => inner[name];

    public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);

    public override byte GetByte(int ordinal) => inner.GetByte(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    public override char GetChar(int ordinal) => inner.GetChar(ordinal);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);

    public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);

    public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);

    public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);

    public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);

    public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);

    public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);

    public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);

    public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);

    public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);

    public override string GetName(int ordinal) => inner.GetName(ordinal);

    public override int GetOrdinal(string name) => inner.GetOrdinal(name);

    public override string GetString(int ordinal) => inner.GetString(ordinal);

    public override object GetValue(int ordinal) => inner.GetValue(ordinal);

    public override int GetValues(object[] values) => inner.GetValues(values);

    public override T GetFieldValue<T>(int ordinal) => inner.GetFieldValue<T>(ordinal);

    public override Stream GetStream(int ordinal) => inner.GetStream(ordinal);

    public override TextReader GetTextReader(int ordinal) => inner.GetTextReader(ordinal);

    public override DataTable? GetSchemaTable() => inner.GetSchemaTable();

    public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);

    public override bool NextResult() => Observe(inner.NextResult);

    public override bool Read() => Observe(inner.Read);

    public override Task<bool> ReadAsync(CancellationToken cancellationToken) => ObserveAsync(inner.ReadAsync(cancellationToken));

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => ObserveAsync(inner.NextResultAsync(cancellationToken));

    public override IEnumerator GetEnumerator() => inner.GetEnumerator();

    public override void Close()
    {
        inner.Close();
        _scope.Complete(null);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _scope.Complete(null);
        }

        base.Dispose(disposing);
    }

    /// <summary>A step that fails (a constraint, SQLITE_BUSY) is the statement's failure.</summary>
    private bool Observe(Func<bool> step)
    {
        try
        {
            return step();
        }
        catch (Exception ex)
        {
            _scope.Complete(ex);
            throw;
        }
    }

    private async Task<bool> ObserveAsync(Task<bool> step)
    {
        try
        {
            return await step;
        }
        catch (Exception ex)
        {
            _scope.Complete(ex);
            throw;
        }
    }
}
