using System.Buffers;
using System.Text.Json;
using Stoa.Docs.Protocol;
using Stoa.Ot;

namespace Stoa.Docs.Relay;

/// <summary>
/// Presence as nodes pass it on a document's presence topic: one client's change
/// (<c>{"type":"presence",…,"node":…}</c>) or a node repeating all of its clients
/// (<c>{"type":"presence.repeat","clients":[…]}</c>). Malformed is null, never trusted.
/// </summary>
internal static class PresencePayloads
{
    /// <summary>The message a socket receives.</summary>
    public static byte[] ForClient(Presence p) => DocMessages.Write(new PresenceMessage(p.ClientId, p.UserId, p.Cursor, p.Online));

    public static byte[] Change(Presence presence) => Write(w => WritePresence(w, presence));

    public static byte[] Repeat(IReadOnlyList<Presence> presences) => Write(w =>
    {
        w.WriteString("type"u8, "presence.repeat"u8);
        w.WriteStartArray("clients"u8);
        foreach (var presence in presences)
        {
            w.WriteStartObject();
            WritePresence(w, presence);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static (List<Presence> Presences, bool Repeat)? Read(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
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

    private static void WritePresence(Utf8JsonWriter w, Presence p)
    {
        w.WriteString("type"u8, "presence"u8);
        w.WriteString("clientId"u8, p.ClientId);
        if (p.UserId is not null)
        {
            CompactJson.WriteString(w, "userId"u8, p.UserId);
        }

        if (p.Cursor is { } cursor)
        {
            w.WriteNumber("cursor"u8, cursor);
        }
        else
        {
            w.WriteNull("cursor"u8);
        }

        w.WriteBoolean("online"u8, p.Online);
        if (p.NodeId is not null)
        {
            w.WriteString("node"u8, p.NodeId);
        }
    }

    private static Presence ReadPresence(JsonElement element) => new(
        element.GetProperty("clientId").GetString() ?? "",
        element.TryGetProperty("userId", out var user) ? user.GetString() : null,
        element.TryGetProperty("cursor", out var cursor) && cursor.ValueKind == JsonValueKind.Number ? cursor.GetInt32() : null,
        element.GetProperty("online").GetBoolean(),
        element.TryGetProperty("node", out var node) ? node.GetString() : null);

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
