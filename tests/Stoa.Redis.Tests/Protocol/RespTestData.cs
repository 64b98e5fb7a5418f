using System.Buffers;
using System.Text;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Tests.Protocol;

/// <summary>Random RESP3 values and a serialiser that randomly uses the streamed forms.</summary>
internal static class RespTestData
{
    public static RespValue RandomValue(Random random, int depth = 0)
    {
        int kind = random.Next(depth >= 3 ? 10 : 15);
        switch (kind)
        {
            case 0: return RespValue.FromBytes(RespType.SimpleString, RandomText(random));
            case 1: return RespValue.FromBytes(RespType.SimpleError, RandomText(random));
            case 2: return RespValue.FromInteger(random.Next(3) == 0 ? long.MinValue + random.Next(10) : random.NextInt64(-1_000_000, 1_000_000));
            case 3: return RespValue.FromBytes(RespType.BulkString, RandomBytes(random));
            case 4: return RespValue.FromBytes(RespType.BulkError, RandomBytes(random));
            case 5: return RespValue.Null;
            case 6: return RespValue.FromBoolean(random.Next(2) == 0);
            case 7:
                return RespValue.FromDouble(random.Next(6) switch
                {
                    0 => double.PositiveInfinity,
                    1 => double.NegativeInfinity,
                    2 => double.NaN,
                    _ => Math.Round((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 20)), random.Next(0, 6)),
                });
            case 8:
                var digits = new StringBuilder(random.Next(2) == 0 ? "-" : string.Empty);
                digits.Append((char)('1' + random.Next(9)));
                for (int i = random.Next(40); i > 0; i--)
                {
                    digits.Append((char)('0' + random.Next(10)));
                }

                return RespValue.FromBytes(RespType.BigNumber, Encoding.ASCII.GetBytes(digits.ToString()));
            case 9: return RespValue.FromVerbatim(RandomBytes(random), random.Next(2) == 0 ? "txt"u8 : "mkd"u8);
            default:
                var type = (kind - 10) switch
                {
                    0 => RespType.Array,
                    1 => RespType.Map,
                    2 => RespType.Set,
                    3 => RespType.Push,
                    _ => RespType.Array,
                };
                int count = random.Next(5) * (type == RespType.Map ? 2 : 1);
                var items = new RespValue[count];
                for (int i = 0; i < count; i++)
                {
                    items[i] = RandomValue(random, depth + 1);
                }

                var value = RespValue.FromAggregate(type, items);
                if (kind == 14)
                {
                    // An attribute in front of an aggregate.
                    value = value.WithAttributes([RespValue.FromBytes(RespType.SimpleString, "ttl"u8.ToArray()), RespValue.FromInteger(3)]);
                }

                return value;
        }
    }

    private static byte[] RandomText(Random random)
    {
        var bytes = new byte[random.Next(12)];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.Next(32, 127);
        }

        return bytes;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(4) == 0 ? random.Next(300) : random.Next(12)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes a value, choosing the streamed forms at random for bulk strings and aggregates.</summary>
    public static void Write(ArrayBufferWriter<byte> writer, RespValue value, Random random)
    {
        bool stream = random.Next(3) == 0;
        if (stream && value.Type == RespType.BulkString && value.Attributes.Length == 0)
        {
            writer.Write("$?\r\n"u8);
            var span = value.Span;
            while (span.Length > 0)
            {
                int chunk = Math.Min(span.Length, 1 + random.Next(span.Length));
                writer.Write(Encoding.ASCII.GetBytes($";{chunk}\r\n"));
                writer.Write(span[..chunk]);
                writer.Write("\r\n"u8);
                span = span[chunk..];
            }

            writer.Write(";0\r\n"u8);
            return;
        }

        if (stream && value.Type is RespType.Array or RespType.Map or RespType.Set or RespType.Push && value.Attributes.Length == 0)
        {
            char prefix = value.Type switch
            {
                RespType.Array => '*',
                RespType.Map => '%',
                RespType.Set => '~',
                _ => '>',
            };
            writer.Write(Encoding.ASCII.GetBytes($"{prefix}?\r\n"));
            foreach (var item in value.Items)
            {
                Write(writer, item, random);
            }

            writer.Write(".\r\n"u8);
            return;
        }

        if (value.IsAggregate && value.Attributes.Length == 0)
        {
            char prefix = value.Type switch
            {
                RespType.Array => '*',
                RespType.Map => '%',
                RespType.Set => '~',
                _ => '>',
            };
            int count = value.Type == RespType.Map ? value.Items.Length / 2 : value.Items.Length;
            writer.Write(Encoding.ASCII.GetBytes($"{prefix}{count}\r\n"));
            foreach (var item in value.Items)
            {
                Write(writer, item, random);
            }

            return;
        }

        RespWriter.WriteValue(writer, value);
    }

    /// <summary>A sequence over the given chunks, one segment each, so the parser sees the split points.</summary>
    public static ReadOnlySequence<byte> Segmented(ReadOnlyMemory<byte> data, IReadOnlyList<int> cuts)
    {
        if (cuts.Count == 0)
        {
            return new ReadOnlySequence<byte>(data);
        }

        Segment? first = null;
        Segment? last = null;
        int start = 0;
        foreach (int cut in cuts.Append(data.Length))
        {
            // Each chunk is copied so no segment can read past its end into the next one.
            var segment = new Segment(data[start..cut].ToArray());
            if (first is null)
            {
                first = last = segment;
            }
            else
            {
                last = last!.Append(segment);
            }

            start = cut;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory)
        {
            Memory = memory;
        }

        public Segment Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
            return next;
        }
    }
}
