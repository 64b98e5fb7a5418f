using System.Buffers;
using System.Text.Json;
using Stoa.Ot;

namespace Stoa.Docs.Protocol;

/// <summary>
/// Reads and writes the frames of docs/docs-protocol.md. Text (inserted text, snapshots) is written as UTF-8 with only
/// the escapes JSON requires (<see cref="CompactJson"/>). Reading never trusts the peer: anything that is not a message
/// of the protocol throws <see cref="DocProtocolException"/> naming the field.
/// </summary>
public static class DocMessages
{
    private static readonly JsonDocumentOptions s_readOptions = new() { MaxDepth = 32 };

    public static byte[] Write(DocMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteBody(w, message);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteBody(Utf8JsonWriter w, DocMessage message)
    {
        switch (message)
        {
            case SnapshotMessage m:
                w.WriteString("type"u8, "snapshot"u8);
                w.WriteNumber("version"u8, m.Version);
                CompactJson.WriteString(w, "text"u8, m.Text);
                break;
            case OpMessage m:
                w.WriteString("type"u8, "op"u8);
                w.WriteNumber("version"u8, m.Version);
                w.WritePropertyName("op"u8);
                m.Op.WriteTo(w);
                w.WriteString("clientId"u8, m.ClientId);
                if (m.UserId is not null)
                {
                    CompactJson.WriteString(w, "userId"u8, m.UserId);
                }

                break;
            case AckMessage m:
                w.WriteString("type"u8, "ack"u8);
                w.WriteNumber("seq"u8, m.Seq);
                w.WriteNumber("version"u8, m.Version);
                break;
            case ErrorMessage m:
                w.WriteString("type"u8, "error"u8);
                w.WriteString("code"u8, m.Code);
                CompactJson.WriteString(w, "detail"u8, m.Detail);
                if (m.Seq is { } seq)
                {
                    w.WriteNumber("seq"u8, seq);
                }

                if (m.RetryAfterMs is { } retry)
                {
                    w.WriteNumber("retryAfterMs"u8, retry);
                }

                break;
            case PresenceMessage m:
                w.WriteString("type"u8, "presence"u8);
                w.WriteString("clientId"u8, m.ClientId);
                if (m.UserId is not null)
                {
                    CompactJson.WriteString(w, "userId"u8, m.UserId);
                }

                if (m.Cursor is { } cursor)
                {
                    w.WriteNumber("cursor"u8, cursor);
                }
                else
                {
                    w.WriteNull("cursor"u8);
                }

                w.WriteBoolean("online"u8, m.Online);
                break;
            case SubmitMessage m:
                w.WriteString("type"u8, "op"u8);
                w.WriteNumber("baseVersion"u8, m.BaseVersion);
                w.WritePropertyName("op"u8);
                m.Op.WriteTo(w);
                w.WriteString("clientId"u8, m.ClientId);
                w.WriteNumber("seq"u8, m.Seq);
                break;
            case CursorMessage m:
                w.WriteString("type"u8, "cursor"u8);
                w.WriteNumber("position"u8, m.Position);
                break;
            case PingMessage:
                w.WriteString("type"u8, "ping"u8);
                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} is not a message of the protocol.", nameof(message));
        }
    }

    /// <summary>A frame the server sends (snapshot, op, ack, error, presence).</summary>
    public static DocMessage ReadFromServer(ReadOnlyMemory<byte> frame) => Read(frame, fromServer: true);

    /// <summary>A frame a client sends (op, cursor, ping).</summary>
    public static DocMessage ReadFromClient(ReadOnlyMemory<byte> frame) => Read(frame, fromServer: false);

    private static DocMessage Read(ReadOnlyMemory<byte> frame, bool fromServer)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, s_readOptions);
        }
        catch (JsonException e)
        {
            throw new DocProtocolException("message", "The message is not valid JSON.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DocProtocolException("message", "A message is a JSON object.");
            }

            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return (fromServer, type) switch
            {
                (false, "op") => new SubmitMessage(Int64(root, "baseVersion"), Op(root), String(root, "clientId"), Int64(root, "seq")),
                (false, "cursor") => new CursorMessage(Position(root)),
                (false, "ping") => PingMessage.Instance,
                (true, "snapshot") => new SnapshotMessage(Int64(root, "version"), String(root, "text")),
                (true, "op") => new OpMessage(Int64(root, "version"), Op(root), String(root, "clientId"), OptionalString(root, "userId")),
                (true, "ack") => new AckMessage(Int64(root, "seq"), Int64(root, "version")),
                (true, "error") => new ErrorMessage(String(root, "code"), OptionalString(root, "detail") ?? "",
                    OptionalInt64(root, "seq"), OptionalInt64(root, "retryAfterMs") is { } ms ? (int)Math.Clamp(ms, 0, int.MaxValue) : null),
                (true, "presence") => new PresenceMessage(String(root, "clientId"), OptionalString(root, "userId"),
                    root.TryGetProperty("cursor", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var cursor) ? cursor : null, Boolean(root, "online")),
                _ => throw new DocProtocolException("type", fromServer
                    ? "must be \"snapshot\", \"op\", \"ack\", \"error\" or \"presence\""
                    : "must be \"op\", \"cursor\" or \"ping\""),
            };
        }
    }

    private static TextOp Op(JsonElement root)
    {
        if (!root.TryGetProperty("op", out var op))
        {
            throw new DocProtocolException("op", "is required");
        }

        try
        {
            return TextOp.Parse(op);
        }
        catch (OtException e)
        {
            throw new DocProtocolException("op", e.Message, e);
        }
    }

    private static long Int64(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw new DocProtocolException(name, "is required and must be an integer, 0 or more");

    private static long? OptionalInt64(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static int Position(JsonElement root) =>
        root.TryGetProperty("position", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var position) && position >= 0
            ? position
            : throw new DocProtocolException("position", "must be a code point position (0 or more)");

    private static bool Boolean(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new DocProtocolException(name, "is required and must be true or false");

    private static string String(JsonElement root, string name) =>
        OptionalString(root, name) ?? throw new DocProtocolException(name, "is required and must be a string");

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException e)
        {
            // An escaped lone surrogate cannot become a .NET string that round-trips.
            throw new DocProtocolException(name, "must be valid Unicode text", e);
        }
    }
}
