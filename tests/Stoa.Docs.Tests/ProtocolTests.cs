using System.Text;
using Stoa.Docs.Protocol;
using Stoa.Ot;

namespace Stoa.Docs.Tests;

/// <summary>The socket's frames, as src/Stoa.Docs.Protocol writes and reads them for the server and Stoa.Client alike.</summary>
public sealed class ProtocolTests
{
    public static TheoryData<DocMessage, bool> Messages => new()
    {
        { new SnapshotMessage(3, "héllo 👍🏽\n\"x\""), true },
        { new OpMessage(4, TextOp.Parse("""[2, "😀", {"d": 1}]"""), "c-1", "alice"), true },
        { new OpMessage(5, TextOp.Insert(0, "x"), "c-2", null), true },
        { new AckMessage(7, 8), true },
        { new ErrorMessage("rate_limited", "Slow down.", 9, 1500), true },
        { new ErrorMessage("op_invalid", "Bad."), true },
        { new PresenceMessage("c-1", "alice", 12, true), true },
        { new PresenceMessage("c-1", null, null, false), true },
        { new SubmitMessage(0, TextOp.Insert(0, "é"), "c-1", 1), false },
        { new CursorMessage(42), false },
        { PingMessage.Instance, false },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_reads_back_as_written(DocMessage message, bool fromServer)
    {
        var frame = DocMessages.Write(message);
        var read = fromServer ? DocMessages.ReadFromServer(frame) : DocMessages.ReadFromClient(frame);
        read.ShouldBe(message);
    }

    [Theory]
    [InlineData("""{"type":"op","baseVersion":0,"op":["x"],"clientId":"c","seq":1}""", "message", false)]
    [InlineData("""{"type":"snapshot","version":0,"text":""}""", "type", false)]
    [InlineData("""{"type":"cursor","position":1}""", "type", true)]
    public void Each_side_reads_only_the_other_sides_messages(string frame, string field, bool fromServer)
    {
        var bytes = Encoding.UTF8.GetBytes(frame);
        if (field == "message")
        {
            // A client op is a server op's shape with other fields: read as the server's, its version is missing.
            Should.Throw<DocProtocolException>(() => DocMessages.ReadFromServer(bytes)).Field.ShouldBe("version");
            return;
        }

        Should.Throw<DocProtocolException>(() => fromServer ? DocMessages.ReadFromServer(bytes) : DocMessages.ReadFromClient(bytes)).Field.ShouldBe(field);
    }

    [Theory]
    [InlineData("", "message")]
    [InlineData("null", "message")]
    [InlineData("{\"type\":\"op\"", "message")]
    [InlineData("""{"type":"op","baseVersion":-1,"op":["x"],"clientId":"c","seq":1}""", "baseVersion")]
    [InlineData("""{"type":"op","baseVersion":true,"op":["x"],"clientId":"c","seq":1}""", "baseVersion")]
    [InlineData("""{"type":"op","baseVersion":0,"op":["x"],"clientId":"c","seq":1.5}""", "seq")]
    [InlineData("""{"type":"op","baseVersion":0,"op":{"d":1},"clientId":"c","seq":1}""", "op")]
    [InlineData("""{"type":"op","baseVersion":0,"op":["\ud83d"],"clientId":"c","seq":1}""", "op")]
    [InlineData("""{"type":"op","baseVersion":0,"op":["x"],"clientId":["c"],"seq":1}""", "clientId")]
    [InlineData("""{"type":"cursor","position":2147483648}""", "position")]
    [InlineData("""{"type":"cursor"}""", "position")]
    public void A_malformed_client_frame_names_its_field(string frame, string field)
    {
        Should.Throw<DocProtocolException>(() => DocMessages.ReadFromClient(Encoding.UTF8.GetBytes(frame))).Field.ShouldBe(field);
    }

    [Fact]
    public void Random_bytes_and_random_json_never_throw_anything_but_a_protocol_error()
    {
        var random = new Random(20261206);
        string[] values = ["0", "-1", "1e999", "\"x\"", "null", "true", "[]", "{}", "[\"a\"]", "[1,{\"d\":1}]", "\"\\ud800\""];
        string[] keys = ["type", "op", "baseVersion", "seq", "clientId", "position", "version", "text"];
        string[] types = ["\"op\"", "\"cursor\"", "\"ping\"", "\"ack\"", "\"snapshot\"", "\"presence\"", "\"error\""];
        for (var i = 0; i < 5_000; i++)
        {
            byte[] frame;
            if (i % 5 == 0)
            {
                frame = new byte[random.Next(64)];
                random.NextBytes(frame);
            }
            else
            {
                var fields = keys.Where(_ => random.Next(3) > 0)
                    .Select(k => $"\"{k}\":{(k == "type" ? types[random.Next(types.Length)] : values[random.Next(values.Length)])}");
                frame = Encoding.UTF8.GetBytes("{" + string.Join(",", fields) + "}");
            }

            foreach (var read in (Func<ReadOnlyMemory<byte>, DocMessage>[])[f => DocMessages.ReadFromClient(f), f => DocMessages.ReadFromServer(f)])
            {
                try
                {
                    read(frame);
                }
                catch (DocProtocolException)
                {
                }
                catch (Exception e)
                {
                    throw new ShouldAssertException($"seed 20261206, case {i}: {Encoding.UTF8.GetString(frame)} threw {e}");
                }
            }
        }
    }
}
