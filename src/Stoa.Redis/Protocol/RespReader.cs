using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Stoa.Redis.Protocol;

/// <summary>
/// Parses RESP3 frames from a byte sequence. <see cref="TryRead"/> either consumes one whole frame, or consumes nothing
/// and returns false when the frame is not complete yet, so a caller can retry from the same position when more bytes
/// arrive: a frame split at any byte boundary parses exactly as the whole frame would.
/// </summary>
internal static class RespReader
{
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    /// <summary>Reads one frame. Returns false (and leaves <paramref name="reader"/> untouched) if it is incomplete;
    /// throws <see cref="RedisProtocolException"/> for invalid bytes or a frame over <paramref name="limits"/>.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, in RespLimits limits, out RespValue value)
    {
        var start = reader;
        if (TryReadValue(ref reader, limits, 0, out value))
        {
            return true;
        }

        reader = start;
        value = default;
        return false;
    }

    private static bool TryReadValue(ref SequenceReader<byte> reader, in RespLimits limits, int depth, out RespValue value)
    {
        value = default;
        if (depth > limits.MaxDepth)
        {
            throw new RedisProtocolException($"RESP nesting deeper than {limits.MaxDepth} levels.");
        }

        if (!reader.TryRead(out byte prefix))
        {
            return false;
        }

        switch (prefix)
        {
            case (byte)'+':
            case (byte)'-':
            {
                if (!TryReadLine(ref reader, limits, out var line))
                {
                    return false;
                }

                value = RespValue.FromBytes(prefix == '+' ? RespType.SimpleString : RespType.SimpleError, line.ToArray());
                return true;
            }

            case (byte)':':
            {
                if (!TryReadLine(ref reader, limits, out var line))
                {
                    return false;
                }

                value = RespValue.FromInteger(ParseInteger(line));
                return true;
            }

            case (byte)'$':
            case (byte)'!':
            case (byte)'=':
                return TryReadBlob(ref reader, limits, prefix, out value);

            case (byte)'_':
            {
                if (!TryReadLine(ref reader, limits, out var line))
                {
                    return false;
                }

                if (line.Length != 0)
                {
                    throw new RedisProtocolException("RESP null with a payload.");
                }

                value = RespValue.Null;
                return true;
            }

            case (byte)'#':
            {
                if (!TryReadLine(ref reader, limits, out var line))
                {
                    return false;
                }

                if (line.Length != 1 || (line.FirstSpan[0] != 't' && line.FirstSpan[0] != 'f'))
                {
                    throw new RedisProtocolException("RESP boolean other than #t or #f.");
                }

                value = RespValue.FromBoolean(line.FirstSpan[0] == 't');
                return true;
            }

            case (byte)',':
            {
                if (!TryReadLine(ref reader, limits, out var line))
                {
                    return false;
                }

                value = RespValue.FromDouble(ParseDouble(Small(line, stackalloc byte[64])));
                return true;
            }

            case (byte)'(':
            {
                if (!TryReadLine(ref reader, limits, out var line))
                {
                    return false;
                }

                var digits = line.ToArray();
                ValidateBigNumber(digits);
                value = RespValue.FromBytes(RespType.BigNumber, digits);
                return true;
            }

            case (byte)'*':
            case (byte)'~':
            case (byte)'>':
            case (byte)'%':
            case (byte)'|':
                return TryReadAggregate(ref reader, limits, prefix, depth, out value);

            default:
                throw new RedisProtocolException($"Unexpected RESP type byte 0x{prefix:X2}.");
        }
    }

    private static bool TryReadBlob(ref SequenceReader<byte> reader, in RespLimits limits, byte prefix, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, limits, out var header))
        {
            return false;
        }

        byte[] payload;
        if (header.Length == 1 && header.FirstSpan[0] == '?')
        {
            if (prefix != '$')
            {
                throw new RedisProtocolException("Only bulk strings may be streamed.");
            }

            if (!TryReadStreamedString(ref reader, limits, out payload))
            {
                return false;
            }
        }
        else
        {
            long length = ParseInteger(header);
            if (length == -1 && prefix == '$')
            {
                value = RespValue.Null;
                return true;
            }

            if (length < 0 || length > limits.MaxBulkLength)
            {
                throw new RedisProtocolException($"RESP bulk length {length} is negative or over the cap of {limits.MaxBulkLength}.");
            }

            // Allocate only once every byte is here: a garbage length cannot make us allocate ahead of the data.
            if (reader.Remaining < length + 2)
            {
                return false;
            }

            payload = new byte[length];
            reader.TryCopyTo(payload);
            reader.Advance(length);
            ExpectCrLf(ref reader);
        }

        switch (prefix)
        {
            case (byte)'$':
                value = RespValue.FromBytes(RespType.BulkString, payload);
                return true;
            case (byte)'!':
                value = RespValue.FromBytes(RespType.BulkError, payload);
                return true;
            default:
                if (payload.Length < 4 || payload[3] != ':')
                {
                    throw new RedisProtocolException("RESP verbatim string without a 3-byte format and ':'.");
                }

                value = RespValue.FromVerbatim(payload[4..], payload.AsSpan(0, 3));
                return true;
        }
    }

    private static bool TryReadStreamedString(ref SequenceReader<byte> reader, in RespLimits limits, out byte[] payload)
    {
        payload = [];
        List<byte[]>? chunks = null;
        long total = 0;
        while (true)
        {
            if (!reader.TryRead(out byte semicolon))
            {
                return false;
            }

            if (semicolon != ';')
            {
                throw new RedisProtocolException("RESP streamed string chunk without ';'.");
            }

            if (!TryReadLine(ref reader, limits, out var header))
            {
                return false;
            }

            long length = ParseInteger(header);
            if (length == 0)
            {
                break;
            }

            if (length < 0 || total + length > limits.MaxBulkLength)
            {
                throw new RedisProtocolException($"RESP streamed string chunk length {length} is negative or over the cap.");
            }

            if (reader.Remaining < length + 2)
            {
                return false;
            }

            var chunk = new byte[length];
            reader.TryCopyTo(chunk);
            reader.Advance(length);
            ExpectCrLf(ref reader);
            (chunks ??= []).Add(chunk);
            total += length;
        }

        if (chunks is null)
        {
            return true;
        }

        payload = new byte[total];
        int offset = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(payload, offset);
            offset += chunk.Length;
        }

        return true;
    }

    private static bool TryReadAggregate(ref SequenceReader<byte> reader, in RespLimits limits, byte prefix, int depth, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, limits, out var header))
        {
            return false;
        }

        var type = prefix switch
        {
            (byte)'*' => RespType.Array,
            (byte)'~' => RespType.Set,
            (byte)'>' => RespType.Push,
            _ => RespType.Map,
        };
        int perEntry = prefix is (byte)'%' or (byte)'|' ? 2 : 1;
        RespValue[] items;
        if (header.Length == 1 && header.FirstSpan[0] == '?')
        {
            if (prefix == '|')
            {
                throw new RedisProtocolException("RESP attributes may not be streamed.");
            }

            if (!TryReadStreamedItems(ref reader, limits, depth, perEntry, out items))
            {
                return false;
            }
        }
        else
        {
            long count = ParseInteger(header);
            if (count == -1 && prefix == '*')
            {
                value = RespValue.Null;
                return true;
            }

            if (count < 0 || count > limits.MaxAggregateLength)
            {
                throw new RedisProtocolException($"RESP aggregate length {count} is negative or over the cap of {limits.MaxAggregateLength}.");
            }

            long elements = count * perEntry;

            // Every element takes at least 3 bytes ("_\r\n"): do not allocate for elements that have not arrived.
            if (reader.Remaining < elements * 3)
            {
                return false;
            }

            items = elements == 0 ? [] : new RespValue[elements];
            for (int i = 0; i < items.Length; i++)
            {
                if (!TryReadValue(ref reader, limits, depth + 1, out items[i]))
                {
                    return false;
                }
            }
        }

        if (prefix == '|')
        {
            // An attribute annotates the value that follows it; keep it on that value. depth + 1 so that a chain of
            // attributes cannot recurse without bound.
            if (!TryReadValue(ref reader, limits, depth + 1, out var annotated))
            {
                return false;
            }

            value = annotated.WithAttributes(items);
            return true;
        }

        value = RespValue.FromAggregate(type, items);
        return true;
    }

    private static bool TryReadStreamedItems(ref SequenceReader<byte> reader, in RespLimits limits, int depth, int perEntry, out RespValue[] items)
    {
        items = [];
        var list = new List<RespValue>();
        while (true)
        {
            if (!reader.TryPeek(out byte next))
            {
                return false;
            }

            if (next == '.')
            {
                if (list.Count % perEntry != 0)
                {
                    throw new RedisProtocolException("RESP streamed map ended after a key without its value.");
                }

                reader.Advance(1);
                if (!TryReadLine(ref reader, limits, out var end))
                {
                    return false;
                }

                if (end.Length != 0)
                {
                    throw new RedisProtocolException("RESP streamed aggregate terminator with a payload.");
                }

                items = list.ToArray();
                return true;
            }

            if (list.Count >= (long)limits.MaxAggregateLength * perEntry)
            {
                throw new RedisProtocolException($"RESP streamed aggregate over the cap of {limits.MaxAggregateLength}.");
            }

            if (!TryReadValue(ref reader, limits, depth + 1, out var item))
            {
                return false;
            }

            list.Add(item);
        }
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, in RespLimits limits, out ReadOnlySequence<byte> line)
    {
        if (reader.TryReadTo(out line, CrLf, advancePastDelimiter: true))
        {
            if (line.Length > limits.MaxLineLength)
            {
                throw new RedisProtocolException($"RESP line longer than {limits.MaxLineLength} bytes.");
            }

            return true;
        }

        if (reader.Remaining > limits.MaxLineLength)
        {
            throw new RedisProtocolException($"RESP line longer than {limits.MaxLineLength} bytes.");
        }

        return false;
    }

    private static void ExpectCrLf(ref SequenceReader<byte> reader)
    {
        if (!reader.IsNext(CrLf, advancePast: true))
        {
            throw new RedisProtocolException("RESP bulk payload not followed by CRLF.");
        }
    }

    private static ReadOnlySpan<byte> Small(in ReadOnlySequence<byte> line, Span<byte> scratch)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan;
        }

        if (line.Length > scratch.Length)
        {
            throw new RedisProtocolException("RESP number too long.");
        }

        line.CopyTo(scratch);
        return scratch[..(int)line.Length];
    }

    private static long ParseInteger(in ReadOnlySequence<byte> line)
    {
        var span = Small(line, stackalloc byte[24]);
        if (span.Length == 0 || span[0] == '+' || !Utf8Parser.TryParse(span, out long value, out int consumed) || consumed != span.Length)
        {
            throw new RedisProtocolException("RESP integer is not a valid 64-bit number.");
        }

        return value;
    }

    internal static double ParseDouble(ReadOnlySpan<byte> span)
    {
        if (span.SequenceEqual("inf"u8) || span.SequenceEqual("+inf"u8))
        {
            return double.PositiveInfinity;
        }

        if (span.SequenceEqual("-inf"u8))
        {
            return double.NegativeInfinity;
        }

        if (span.SequenceEqual("nan"u8) || span.SequenceEqual("-nan"u8))
        {
            return double.NaN;
        }

        // Letters other than an exponent are refused so "Infinity"/"NaN" spellings of .NET do not slip through.
        foreach (byte b in span)
        {
            if (!(b is (>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'-' or (byte)'+' or (byte)'e' or (byte)'E'))
            {
                throw new RedisProtocolException("RESP double is not a valid number.");
            }
        }

        if (span.Length == 0 || !double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new RedisProtocolException("RESP double is not a valid number.");
        }

        return value;
    }

    private static void ValidateBigNumber(ReadOnlySpan<byte> digits)
    {
        var rest = digits.Length > 0 && (digits[0] == '-' || digits[0] == '+') ? digits[1..] : digits;
        if (rest.Length == 0 || rest.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            throw new RedisProtocolException("RESP big number is not a sequence of digits.");
        }
    }
}
