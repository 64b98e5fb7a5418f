using System.Text;

namespace Stoa.Redis;

/// <summary>A message received on a subscribed channel (or on a channel matching a subscribed pattern).</summary>
public readonly struct RedisChannelMessage
{
    internal RedisChannelMessage(string channel, string? pattern, byte[] payload)
    {
        Channel = channel;
        Pattern = pattern;
        PayloadBytes = payload;
    }

    /// <summary>The channel the message was published to.</summary>
    public string Channel { get; }

    /// <summary>The PSUBSCRIBE pattern that matched, or null for a SUBSCRIBE subscription.</summary>
    public string? Pattern { get; }

    public ReadOnlyMemory<byte> PayloadBytes { get; }

    /// <summary>The payload decoded as UTF-8.</summary>
    public string Message => Encoding.UTF8.GetString(PayloadBytes.Span);

    public override string ToString() => $"{Channel}: {Message}";
}
