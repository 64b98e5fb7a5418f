using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Stoa.Redis.Protocol;

/// <summary>
/// Serialises RESP: commands as arrays of bulk strings (what clients send) into a growable pooled buffer, and any
/// <see cref="RespValue"/> (what servers send; used by tests and fake servers).
/// </summary>
internal static class RespWriter
{
    /// <summary>Writes a value in its non-streamed form.</summary>
    public static void WriteValue(IBufferWriter<byte> writer, in RespValue value)
    {
        var attributes = value.Attributes;
        if (attributes.Length > 0)
        {
            WriteHeader(writer, (byte)'|', attributes.Length / 2);
            foreach (var item in attributes)
            {
                WriteValue(writer, item);
            }
        }

        switch (value.Type)
        {
            case RespType.SimpleString:
                WriteLine(writer, (byte)'+', value.Span);
                break;
            case RespType.SimpleError:
                WriteLine(writer, (byte)'-', value.Span);
                break;
            case RespType.Integer:
                WriteHeader(writer, (byte)':', value.AsInt64());
                break;
            case RespType.BulkString:
                WriteBlob(writer, (byte)'$', [], value.Span);
                break;
            case RespType.BulkError:
                WriteBlob(writer, (byte)'!', [], value.Span);
                break;
            case RespType.VerbatimString:
                WriteBlob(writer, (byte)'=', Encoding.ASCII.GetBytes(value.VerbatimFormat + ":"), value.Span);
                break;
            case RespType.Null:
                writer.Write("_\r\n"u8);
                break;
            case RespType.Boolean:
                writer.Write(value.AsBoolean() ? "#t\r\n"u8 : "#f\r\n"u8);
                break;
            case RespType.Double:
                WriteLine(writer, (byte)',', Encoding.ASCII.GetBytes(FormatDouble(value.AsDouble())));
                break;
            case RespType.BigNumber:
                WriteLine(writer, (byte)'(', value.Span);
                break;
            case RespType.Array:
            case RespType.Set:
            case RespType.Push:
            case RespType.Map:
                byte prefix = value.Type switch
                {
                    RespType.Array => (byte)'*',
                    RespType.Set => (byte)'~',
                    RespType.Push => (byte)'>',
                    _ => (byte)'%',
                };
                var items = value.Items;
                WriteHeader(writer, prefix, value.Type == RespType.Map ? items.Length / 2 : items.Length);
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                break;
            default:
                throw new ArgumentException($"Cannot write a RESP {value.Type}.", nameof(value));
        }
    }

    internal static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void WriteLine(IBufferWriter<byte> writer, byte prefix, ReadOnlySpan<byte> text)
    {
        writer.Write([prefix]);
        writer.Write(text);
        writer.Write("\r\n"u8);
    }

    private static void WriteHeader(IBufferWriter<byte> writer, byte prefix, long number)
    {
        var span = writer.GetSpan(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(number, span[1..], out int written);
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        writer.Advance(written + 3);
    }

    private static void WriteBlob(IBufferWriter<byte> writer, byte prefix, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        WriteHeader(writer, prefix, head.Length + body.Length);
        writer.Write(head);
        writer.Write(body);
        writer.Write("\r\n"u8);
    }
}
