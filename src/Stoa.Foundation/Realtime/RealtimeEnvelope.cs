using System.Globalization;
using System.Text;

namespace Stoa.Foundation.Realtime;

/// <summary>
/// How a message travels between nodes over the engine's pub/sub: four header lines (node id, event id, type, and the
/// trace line: the traceparent, then <c>@</c> and the publish time in Unix milliseconds; each may be empty but the
/// node id) and the data as it is. The node id lets each node skip its own echo without reading the data; the data is
/// never re-encoded on the way. A trace line without <c>@</c> (a node of an earlier version) is a traceparent alone.
/// </summary>
internal static class RealtimeEnvelope
{
    public static byte[] Encode(RealtimeMessage message)
    {
        var header = $"{message.NodeId}\n{message.Id}\n{message.Type}\n{message.TraceParent}@{message.PublishedAt.ToString(CultureInfo.InvariantCulture)}\n";
        var bytes = new byte[Encoding.UTF8.GetByteCount(header) + message.Data.Length];
        var written = Encoding.UTF8.GetBytes(header, bytes);
        message.Data.Span.CopyTo(bytes.AsSpan(written));
        return bytes;
    }

    /// <summary>The node id alone, to skip an echo without decoding the rest; null when the payload is no envelope.</summary>
    public static bool IsFrom(ReadOnlySpan<byte> payload, string nodeId)
    {
        var end = payload.IndexOf((byte)'\n');
        return end == nodeId.Length && Encoding.UTF8.GetString(payload[..end]) == nodeId;
    }

    public static RealtimeMessage? Decode(string topic, ReadOnlyMemory<byte> payload)
    {
        var rest = payload;
        var fields = new string[4];
        for (var i = 0; i < fields.Length; i++)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            if (end < 0)
            {
                return null;
            }

            fields[i] = Encoding.UTF8.GetString(rest.Span[..end]);
            rest = rest[(end + 1)..];
        }

        if (fields[0].Length == 0 || fields[2].Length == 0)
        {
            return null;
        }

        var trace = fields[3];
        long publishedAt = 0;
        var at = trace.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            _ = long.TryParse(trace.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out publishedAt);
            trace = trace[..at];
        }

        return new RealtimeMessage(topic, fields[1].Length == 0 ? null : fields[1], fields[2], rest, fields[0], trace.Length == 0 ? null : trace, publishedAt);
    }

    /// <summary>A history entry: the type line and the data (the id is the entry's own, the node does not matter).</summary>
    public static byte[] EncodeHistory(string type, ReadOnlySpan<byte> data)
    {
        var header = Encoding.UTF8.GetBytes(type + "\n");
        return [.. header, .. data];
    }

    public static RealtimeMessage? DecodeHistory(string topic, string id, byte[] entry, string nodeId)
    {
        var end = entry.AsSpan().IndexOf((byte)'\n');
        return end <= 0 ? null : new RealtimeMessage(topic, id, Encoding.UTF8.GetString(entry, 0, end), entry.AsMemory(end + 1), nodeId);
    }
}
