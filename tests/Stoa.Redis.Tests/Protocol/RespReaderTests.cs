using System.Buffers;
using System.Text;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Tests.Protocol;

public sealed class RespReaderTests
{
    private static readonly RespLimits s_limits = RespLimits.Default;

    /// <summary>Fixed so failures reproduce; set STOA_RESP_SEED to explore other sequences.</summary>
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("STOA_RESP_SEED"), out int seed) ? seed : 20261121;

    private static RespValue ReadOne(string text)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));
        RespReader.TryRead(ref reader, s_limits, out var value).ShouldBeTrue();
        reader.End.ShouldBeTrue("the frame must be consumed exactly");
        return value;
    }

    private static bool TryReadOne(string text, RespLimits limits)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));
        return RespReader.TryRead(ref reader, limits, out _);
    }

    [Fact]
    public void Reads_every_scalar_type()
    {
        ReadOne("+OK\r\n").AsString().ShouldBe("OK");
        ReadOne("-ERR bad\r\n").ShouldSatisfyAllConditions(v => v.IsError.ShouldBeTrue(), v => v.AsString().ShouldBe("ERR bad"));
        ReadOne(":-42\r\n").AsInt64().ShouldBe(-42);
        ReadOne("$5\r\nhe\r\no\r\n").AsString().ShouldBe("he\r\no");
        ReadOne("$0\r\n\r\n").AsString().ShouldBe(string.Empty);
        ReadOne("$-1\r\n").IsNull.ShouldBeTrue();
        ReadOne("*-1\r\n").IsNull.ShouldBeTrue();
        ReadOne("_\r\n").IsNull.ShouldBeTrue();
        ReadOne("#t\r\n").AsBoolean().ShouldBeTrue();
        ReadOne("#f\r\n").AsBoolean().ShouldBeFalse();
        ReadOne(",3.25\r\n").AsDouble().ShouldBe(3.25);
        ReadOne(",1e3\r\n").AsDouble().ShouldBe(1000);
        ReadOne(",inf\r\n").AsDouble().ShouldBe(double.PositiveInfinity);
        ReadOne(",-inf\r\n").AsDouble().ShouldBe(double.NegativeInfinity);
        double.IsNaN(ReadOne(",nan\r\n").AsDouble()).ShouldBeTrue();
        ReadOne("(3492890328409238509324850943850943825024385\r\n").AsBigInteger()
            .ShouldBe(System.Numerics.BigInteger.Parse("3492890328409238509324850943850943825024385", System.Globalization.CultureInfo.InvariantCulture));
        var verbatim = ReadOne("=15\r\ntxt:Some string\r\n");
        verbatim.Type.ShouldBe(RespType.VerbatimString);
        verbatim.VerbatimFormat.ShouldBe("txt");
        verbatim.AsString().ShouldBe("Some string");
        var blobError = ReadOne("!21\r\nSYNTAX invalid syntax\r\n");
        blobError.Type.ShouldBe(RespType.BulkError);
        blobError.AsString().ShouldBe("SYNTAX invalid syntax");
    }

    [Fact]
    public void Reads_aggregates_attributes_and_pushes()
    {
        var array = ReadOne("*3\r\n:1\r\n$3\r\nabc\r\n*1\r\n_\r\n");
        array.Type.ShouldBe(RespType.Array);
        array.Items.Length.ShouldBe(3);
        array.Items[2].Items[0].IsNull.ShouldBeTrue();

        var map = ReadOne("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n");
        map.Type.ShouldBe(RespType.Map);
        map.Items.Length.ShouldBe(4);
        map.Items[3].AsInt64().ShouldBe(2);

        var set = ReadOne("~2\r\n+a\r\n+b\r\n");
        set.Type.ShouldBe(RespType.Set);

        var push = ReadOne(">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n");
        push.Type.ShouldBe(RespType.Push);
        push.Items[1].Items[0].AsString().ShouldBe("key");

        var annotated = ReadOne("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*2\r\n:2039123\r\n:9543892\r\n");
        annotated.Type.ShouldBe(RespType.Array);
        annotated.Attributes.Length.ShouldBe(2);
        annotated.Attributes[0].AsString().ShouldBe("key-popularity");
        annotated.Items[1].AsInt64().ShouldBe(9543892);
    }

    [Fact]
    public void Reads_streamed_strings_and_aggregates()
    {
        ReadOne("$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n").AsString().ShouldBe("Hello word");
        ReadOne("$?\r\n;0\r\n").AsString().ShouldBe(string.Empty);
        var array = ReadOne("*?\r\n:1\r\n:2\r\n:3\r\n.\r\n");
        array.Type.ShouldBe(RespType.Array);
        array.Items.Length.ShouldBe(3);
        var map = ReadOne("%?\r\n+a\r\n:1\r\n+b\r\n:2\r\n.\r\n");
        map.Type.ShouldBe(RespType.Map);
        map.Items.Length.ShouldBe(4);
        ReadOne("~?\r\n.\r\n").Items.Length.ShouldBe(0);
    }

    [Theory]
    [InlineData("?junk\r\n")]
    [InlineData(":12a\r\n")]
    [InlineData(":\r\n")]
    [InlineData("$3\r\nabcXY")]
    [InlineData("$-2\r\n")]
    [InlineData("#x\r\n")]
    [InlineData(",1.2.3x\r\n")]
    [InlineData(",Infinity\r\n")]
    [InlineData("(12a\r\n")]
    [InlineData("=3\r\nabc\r\n")]
    [InlineData("_x\r\n")]
    [InlineData("%?\r\n+a\r\n.\r\n")]
    [InlineData("!?\r\n")]
    [InlineData("$?\r\nabc")]
    [InlineData(".\r\n")]
    public void Rejects_malformed_frames_with_a_protocol_error(string text)
    {
        Should.Throw<RedisProtocolException>(() => TryReadOne(text, s_limits));
    }

    [Fact]
    public void Caps_lengths_counts_depth_and_lines_before_allocating()
    {
        var limits = new RespLimits(MaxBulkLength: 1024, MaxAggregateLength: 100, MaxDepth: 8, MaxLineLength: 64);
        Should.Throw<RedisProtocolException>(() => TryReadOne("$1025\r\n", limits));
        Should.Throw<RedisProtocolException>(() => TryReadOne("$9999999999999\r\n", limits));
        Should.Throw<RedisProtocolException>(() => TryReadOne("*101\r\n", limits));
        Should.Throw<RedisProtocolException>(() => TryReadOne("%2147483647\r\n", limits));
        Should.Throw<RedisProtocolException>(() => TryReadOne(string.Concat(Enumerable.Repeat("*1\r\n", 20)), limits));
        Should.Throw<RedisProtocolException>(() => TryReadOne(string.Concat(Enumerable.Repeat("|0\r\n", 20)) + ":1\r\n", limits));
        Should.Throw<RedisProtocolException>(() => TryReadOne("+" + new string('a', 100), limits));
        Should.Throw<RedisProtocolException>(() => TryReadOne("$?\r\n" + string.Concat(Enumerable.Repeat(";600\r\n" + new string('a', 600) + "\r\n", 2)), limits));

        // Within the caps but not all there yet: incomplete, and nothing big was allocated for the claim.
        long before = GC.GetAllocatedBytesForCurrentThread();
        TryReadOne("$1000\r\nabc", limits).ShouldBeFalse();
        TryReadOne("*100\r\n:1\r\n", limits).ShouldBeFalse();
        TryReadOne("*16777215\r\n:1\r\n", RespLimits.Default).ShouldBeFalse();
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(64 * 1024);
    }

    [Fact]
    public void Frames_split_at_every_byte_boundary_parse_identically()
    {
        int seed = Seed;
        try
        {
            for (int round = 0; round < 150; round++)
            {
                var random = new Random(seed + round);
                var expected = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => RespTestData.RandomValue(random)).ToArray();
                var buffer = new ArrayBufferWriter<byte>();
                var ends = new List<int>();
                foreach (var value in expected)
                {
                    RespTestData.Write(buffer, value, random);
                    ends.Add(buffer.WrittenCount);
                }

                var data = buffer.WrittenMemory;
                for (int cut = 0; cut <= data.Length; cut++)
                {
                    // Only the first part has arrived: exactly the frames that fit are read, the rest is incomplete.
                    var firstPart = new ReadOnlySequence<byte>(data[..cut]);
                    var reader = new SequenceReader<byte>(firstPart);
                    int read = 0;
                    while (RespReader.TryRead(ref reader, s_limits, out var value))
                    {
                        value.ShouldBe(expected[read], $"seed {seed + round}, cut {cut}, frame {read}");
                        read++;
                    }

                    read.ShouldBe(ends.Count(end => end <= cut), $"seed {seed + round}, cut {cut}");
                    long consumed = reader.Consumed;

                    // Then everything, split at the cut into two segments; parsing resumes where it stopped.
                    var whole = RespTestData.Segmented(data, cut == 0 || cut == data.Length ? [] : [cut]).Slice(consumed);
                    var rest = new SequenceReader<byte>(whole);
                    while (RespReader.TryRead(ref rest, s_limits, out var value))
                    {
                        value.ShouldBe(expected[read], $"seed {seed + round}, cut {cut}, frame {read}");
                        read++;
                    }

                    read.ShouldBe(expected.Length, $"seed {seed + round}, cut {cut}");
                    rest.End.ShouldBeTrue();
                }

                // And many random small segments at once.
                var cuts = Enumerable.Range(1, Math.Max(0, data.Length - 1)).Where(_ => random.Next(3) == 0).ToList();
                var chunked = new SequenceReader<byte>(RespTestData.Segmented(data, cuts));
                for (int i = 0; i < expected.Length; i++)
                {
                    RespReader.TryRead(ref chunked, s_limits, out var value).ShouldBeTrue($"seed {seed + round}");
                    value.ShouldBe(expected[i], $"seed {seed + round}");
                }
            }
        }
        catch (Exception ex) when (ex is not ShouldAssertException)
        {
            throw new InvalidOperationException($"RESP split test failed with base seed {seed}.", ex);
        }
    }

    [Fact]
    public void Garbage_only_ever_yields_values_incomplete_or_protocol_errors()
    {
        int seed = Seed;
        var limits = new RespLimits(MaxBulkLength: 1 << 20, MaxAggregateLength: 10_000, MaxDepth: 32, MaxLineLength: 4096);
        for (int round = 0; round < 3000; round++)
        {
            var random = new Random(seed + round);
            byte[] data;
            if (round % 2 == 0)
            {
                // Pure noise, biased towards RESP's own alphabet so that deep paths get exercised.
                data = new byte[random.Next(1, 200)];
                const string alphabet = "+-:$*%~>|_#,(=!.?;\r\n0123456789-tf";
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)alphabet[random.Next(alphabet.Length)];
                }
            }
            else
            {
                // A valid stream with a few bytes changed, inserted or removed.
                var buffer = new ArrayBufferWriter<byte>();
                for (int i = 0; i < 3; i++)
                {
                    RespTestData.Write(buffer, RespTestData.RandomValue(random), random);
                }

                var list = buffer.WrittenSpan.ToArray().ToList();
                for (int m = random.Next(1, 4); m > 0 && list.Count > 0; m--)
                {
                    int at = random.Next(list.Count);
                    switch (random.Next(3))
                    {
                        case 0: list[at] = (byte)random.Next(256); break;
                        case 1: list.Insert(at, (byte)"\r\n*$:?9"[random.Next(7)]); break;
                        default: list.RemoveAt(at); break;
                    }
                }

                data = list.ToArray();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            var reader = new SequenceReader<byte>(RespTestData.Segmented(data, data.Length > 2 ? [random.Next(1, data.Length)] : []));
            int frames = 0;
            try
            {
                while (frames < data.Length && RespReader.TryRead(ref reader, limits, out _))
                {
                    frames++;
                }
            }
            catch (RedisProtocolException)
            {
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Garbage round {round} (seed {seed + round}) threw {ex.GetType().Name}: {Convert.ToHexString(data)}", ex);
            }

            frames.ShouldBeLessThanOrEqualTo(data.Length / 3, $"seed {seed + round}: more frames than bytes allow");
            (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(4 * 1024 * 1024, $"seed {seed + round}");
        }
    }
}
