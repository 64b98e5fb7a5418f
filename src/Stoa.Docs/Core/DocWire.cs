using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>
/// The JSON messages of the module that are not HTTP bodies: committed ops and presence on the engine's pub/sub, and
/// the server-to-client WebSocket messages (docs/docs-protocol.md). Written once per op, whatever the fan-out.
/// </summary>
internal static class DocWire
{
    // The payloads are not HTML: keep non-ASCII text as UTF-8 rather than \u escapes.
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Pub/sub: <c>{"version":…,"op":[…],"clientId":…,"seq":…,"userId":…}</c>.</summary>
    public static byte[] CommittedPayload(CommittedOp op) => Write(op, static (w, op) =>
    {
        w.WriteNumber("version", op.Version);
        w.WritePropertyName("op");
        op.Op.WriteTo(w);
        w.WriteString("clientId", op.ClientId);
        w.WriteNumber("seq", op.Seq);
        if (op.UserId is not null)
        {
            w.WriteString("userId", op.UserId);
        }
    });

    /// <summary>Reads a committed op published by any node; null for anything malformed (never trusted blindly).</summary>
    public static CommittedOp? ParseCommitted(ReadOnlySpan<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            return new CommittedOp(
                root.GetProperty("version").GetInt64(),
                TextOp.Parse(root.GetProperty("op")),
                root.GetProperty("clientId").GetString() ?? "",
                root.GetProperty("seq").GetInt64(),
                root.TryGetProperty("userId", out var user) ? user.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or OtException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>WebSocket: <c>{"type":"snapshot","version":…,"text":…}</c>.</summary>
    public static byte[] Snapshot(long version, string text) => Write((version, text), static (w, s) =>
    {
        w.WriteString("type", "snapshot");
        w.WriteNumber("version", s.version);
        w.WriteString("text", s.text);
    });

    /// <summary>WebSocket: <c>{"type":"op","version":…,"op":[…],"clientId":…}</c>.</summary>
    public static byte[] Op(CommittedOp op) => Write(op, static (w, op) =>
    {
        w.WriteString("type", "op");
        w.WriteNumber("version", op.Version);
        w.WritePropertyName("op");
        op.Op.WriteTo(w);
        w.WriteString("clientId", op.ClientId);
        if (op.UserId is not null)
        {
            w.WriteString("userId", op.UserId);
        }
    });

    /// <summary>WebSocket: <c>{"type":"ack","seq":…,"version":…}</c>.</summary>
    public static byte[] Ack(long seq, long version) => Write((seq, version), static (w, a) =>
    {
        w.WriteString("type", "ack");
        w.WriteNumber("seq", a.seq);
        w.WriteNumber("version", a.version);
    });

    /// <summary>WebSocket: <c>{"type":"error","code":…,"detail":…,"seq":…,"retryAfterMs":…}</c>.</summary>
    public static byte[] Error(string code, string detail, long? seq = null, int? retryAfterMs = null) => Write((code, detail, seq, retryAfterMs), static (w, e) =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", e.code);
        w.WriteString("detail", e.detail);
        if (e.seq is { } seq)
        {
            w.WriteNumber("seq", seq);
        }

        if (e.retryAfterMs is { } retry)
        {
            w.WriteNumber("retryAfterMs", retry);
        }
    });

    /// <summary>WebSocket and pub/sub: <c>{"type":"presence","clientId":…,"userId":…,"cursor":…|null,"online":…}</c>.</summary>
    public static byte[] Presence(Presence presence) => Write(presence, WritePresence);

    /// <summary>
    /// Pub/sub only, from every node with clients on the document at each presence heartbeat:
    /// <c>{"type":"presence.repeat","clients":[presence, …]}</c>, so that the other nodes keep them (see PresenceBoard).
    /// </summary>
    public static byte[] PresenceRepeat(IReadOnlyList<Presence> presences) => Write(presences, static (w, list) =>
    {
        w.WriteString("type", "presence.repeat");
        w.WriteStartArray("clients");
        foreach (var presence in list)
        {
            w.WriteStartObject();
            WritePresence(w, presence);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private static void WritePresence(Utf8JsonWriter w, Presence p)
    {
        w.WriteString("type", "presence");
        w.WriteString("clientId", p.ClientId);
        if (p.UserId is not null)
        {
            w.WriteString("userId", p.UserId);
        }

        if (p.Cursor is { } cursor)
        {
            w.WriteNumber("cursor", cursor);
        }
        else
        {
            w.WriteNull("cursor");
        }

        w.WriteBoolean("online", p.Online);
        if (p.NodeId is not null)
        {
            w.WriteString("node", p.NodeId);
        }
    }

    /// <summary>
    /// A presence message from pub/sub: one client's change (<see cref="Presence(Stoa.Docs.Core.Presence)"/>, Repeat
    /// false) or a node repeating all of its clients (<see cref="PresenceRepeat"/>); null when malformed.
    /// </summary>
    public static (List<Presence> Presences, bool Repeat)? ParsePresenceMessage(ReadOnlySpan<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            if (root.TryGetProperty("type", out var type) && type.ValueEquals("presence.repeat"))
            {
                return ([.. root.GetProperty("clients").EnumerateArray().Select(ReadPresence)], true);
            }

            return ([ReadPresence(root)], false);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static Presence ReadPresence(JsonElement element) => new(
        element.GetProperty("clientId").GetString() ?? "",
        element.TryGetProperty("userId", out var user) ? user.GetString() : null,
        element.TryGetProperty("cursor", out var cursor) && cursor.ValueKind == JsonValueKind.Number ? cursor.GetInt32() : null,
        element.GetProperty("online").GetBoolean(),
        element.TryGetProperty("node", out var node) ? node.GetString() : null);

    private static byte[] Write<T>(T state, Action<Utf8JsonWriter, T> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            body(writer, state);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>Who is connected to a document and where their cursor is (code points, at the version they last saw).</summary>
internal sealed record Presence(string ClientId, string? UserId, int? Cursor, bool Online, string? NodeId);
