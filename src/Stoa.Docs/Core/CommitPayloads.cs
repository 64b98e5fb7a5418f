using System.Buffers;
using System.Text.Json;
using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>
/// A committed op as nodes pass it to each other on a document's topic:
/// <c>{"version":…,"op":[…],"clientId":…,"seq":…,"userId":…}</c>. Never trusted blindly: malformed is null.
/// </summary>
internal static class CommitPayloads
{
    public static byte[] Write(CommittedOp op)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version"u8, op.Version);
            w.WritePropertyName("op"u8);
            op.Op.WriteTo(w);
            w.WriteString("clientId"u8, op.ClientId);
            w.WriteNumber("seq"u8, op.Seq);
            if (op.UserId is not null)
            {
                CompactJson.WriteString(w, "userId"u8, op.UserId);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static CommittedOp? Read(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
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
}
