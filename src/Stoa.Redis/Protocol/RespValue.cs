using System.Globalization;
using System.Numerics;
using System.Text;

namespace Stoa.Redis.Protocol;

/// <summary>
/// One RESP3 value as read from the server. Strings are kept as the server's bytes (no decoding until asked);
/// aggregates hold their elements; a map holds its keys and values alternately in <see cref="Items"/>.
/// RESP3 attributes that preceded the value are kept in <see cref="Attributes"/> (flattened key, value pairs).
/// </summary>
public readonly struct RespValue : IEquatable<RespValue>
{
    private static readonly RespValue[] s_emptyItems = [];

    private readonly object? _payload;
    private readonly long _integer;
    private readonly RespValue[]? _attributes;

    internal RespValue(RespType type, object? payload, long integer, RespValue[]? attributes = null)
    {
        Type = type;
        _payload = payload;
        _integer = integer;
        _attributes = attributes;
    }

    /// <summary>The RESP3 null (also RESP2's <c>$-1</c> and <c>*-1</c>).</summary>
    public static RespValue Null => new(RespType.Null, null, 0);

    public RespType Type { get; }

    /// <summary>True for the RESP3 null.</summary>
    public bool IsNull => Type == RespType.Null;

    /// <summary>True for a simple or bulk error.</summary>
    public bool IsError => Type is RespType.SimpleError or RespType.BulkError;

    /// <summary>True for array, map, set and push.</summary>
    public bool IsAggregate => Type is RespType.Array or RespType.Map or RespType.Set or RespType.Push;

    /// <summary>Flattened attribute pairs that the server sent before this value, or empty.</summary>
    public ReadOnlySpan<RespValue> Attributes => _attributes;

    /// <summary>Elements of an aggregate (a map alternates keys and values); empty for other types.</summary>
    public ReadOnlySpan<RespValue> Items => _payload as RespValue[] ?? s_emptyItems;

    /// <summary>The raw bytes of a simple string, error, bulk string, bulk error, verbatim string (without its
    /// format prefix) or big number; empty for other types.</summary>
    public ReadOnlySpan<byte> Span => _payload as byte[];

    /// <summary>The 3-letter format of a verbatim string (<c>txt</c>, <c>mkd</c>), otherwise null.</summary>
    public string? VerbatimFormat => Type == RespType.VerbatimString
        ? string.Create(3, _integer, static (span, value) =>
        {
            span[0] = (char)(byte)(value >> 16);
            span[1] = (char)(byte)(value >> 8);
            span[2] = (char)(byte)value;
        })
        : null;

    internal RespValue[]? ItemsArray => _payload as RespValue[];

    internal byte[]? BytesOrNull => _payload as byte[];

    internal RespValue WithAttributes(RespValue[] attributes) => new(Type, _payload, _integer, attributes);

    internal static RespValue FromBytes(RespType type, byte[] bytes) => new(type, bytes, 0);

    internal static RespValue FromVerbatim(byte[] text, ReadOnlySpan<byte> format)
        => new(RespType.VerbatimString, text, (format[0] << 16) | (format[1] << 8) | format[2]);

    internal static RespValue FromInteger(long value) => new(RespType.Integer, null, value);

    internal static RespValue FromBoolean(bool value) => new(RespType.Boolean, null, value ? 1 : 0);

    internal static RespValue FromDouble(double value) => new(RespType.Double, null, BitConverter.DoubleToInt64Bits(value));

    internal static RespValue FromAggregate(RespType type, RespValue[] items) => new(type, items, 0);

    /// <summary>Creates a bulk string (UTF-8); for tests, fake servers and transaction results.</summary>
    public static RespValue BulkString(string value) => new(RespType.BulkString, Encoding.UTF8.GetBytes(value), 0);

    /// <summary>The value as a UTF-8 string: strings and errors decoded, integers, doubles and booleans formatted;
    /// null for the RESP3 null. Throws <see cref="InvalidCastException"/> for aggregates.</summary>
    public string? AsString() => Type switch
    {
        RespType.Null => null,
        RespType.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RespType.Double => AsDouble().ToString("R", CultureInfo.InvariantCulture),
        RespType.Boolean => _integer != 0 ? "true" : "false",
        RespType.Array or RespType.Map or RespType.Set or RespType.Push or RespType.None
            => throw new InvalidCastException($"A RESP {Type} is not a string."),
        _ => Encoding.UTF8.GetString((byte[])_payload!),
    };

    /// <summary>The bytes of a string type (the array parsed for this value, not copied: each reply owns its own),
    /// or null for the RESP3 null.</summary>
    public byte[]? AsBytes() => Type switch
    {
        RespType.Null => null,
        RespType.Integer or RespType.Double or RespType.Boolean => Encoding.UTF8.GetBytes(AsString()!),
        _ when _payload is byte[] bytes => bytes,
        _ => throw new InvalidCastException($"A RESP {Type} is not a string."),
    };

    /// <summary>An integer, or a string / double / boolean holding one.</summary>
    public long AsInt64() => Type switch
    {
        RespType.Integer or RespType.Boolean => _integer,
        RespType.Double => checked((long)AsDouble()),
        RespType.SimpleString or RespType.BulkString or RespType.BigNumber
            => long.Parse(Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        _ => throw new InvalidCastException($"A RESP {Type} is not an integer."),
    };

    /// <summary>A double, or an integer / string holding one (<c>inf</c>, <c>-inf</c>, <c>nan</c> accepted).</summary>
    public double AsDouble() => Type switch
    {
        RespType.Double => BitConverter.Int64BitsToDouble(_integer),
        RespType.Integer => _integer,
        RespType.SimpleString or RespType.BulkString or RespType.BigNumber => RespReader.ParseDouble(Span),
        _ => throw new InvalidCastException($"A RESP {Type} is not a double."),
    };

    /// <summary>A boolean, or an integer (non-zero is true).</summary>
    public bool AsBoolean() => Type switch
    {
        RespType.Boolean or RespType.Integer => _integer != 0,
        _ => throw new InvalidCastException($"A RESP {Type} is not a boolean."),
    };

    /// <summary>A big number (or integer) as a <see cref="BigInteger"/>.</summary>
    public BigInteger AsBigInteger() => Type switch
    {
        RespType.Integer => _integer,
        RespType.BigNumber or RespType.BulkString or RespType.SimpleString
            => BigInteger.Parse(Encoding.ASCII.GetString(Span), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        _ => throw new InvalidCastException($"A RESP {Type} is not a big number."),
    };

    /// <summary>Structural equality (type, payload, attributes); doubles compare by bits so NaN equals NaN.</summary>
    public bool Equals(RespValue other)
    {
        if (Type != other.Type || _integer != other._integer)
        {
            return false;
        }

        if (!ItemsEqual(_attributes, other._attributes))
        {
            return false;
        }

        return (_payload, other._payload) switch
        {
            (null, null) => true,
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (RespValue[] a, RespValue[] b) => ItemsEqual(a, b),
            _ => false,
        };
    }

    private static bool ItemsEqual(RespValue[]? a, RespValue[]? b)
    {
        if ((a?.Length ?? 0) != (b?.Length ?? 0))
        {
            return false;
        }

        for (int i = 0; i < (a?.Length ?? 0); i++)
        {
            if (!a![i].Equals(b![i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is RespValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, _integer);

    public static bool operator ==(RespValue left, RespValue right) => left.Equals(right);

    public static bool operator !=(RespValue left, RespValue right) => !left.Equals(right);

    /// <summary>A short human-readable rendering for diagnostics.</summary>
    public override string ToString() => Type switch
    {
        RespType.Array or RespType.Map or RespType.Set or RespType.Push
            => $"{Type}[{string.Join(", ", Items.ToArray().Select(i => i.ToString()))}]",
        RespType.Null => "null",
        RespType.None => "none",
        _ => $"{Type}:{AsString()}",
    };
}
