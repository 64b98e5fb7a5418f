using System.Text;

namespace Stoa.Redis;

/// <summary>A message received on a subscribed channel (or on a channel matching a subscribed pattern, or on a
/// sharded channel).</summary>
public readonly struct RedisChannelMessage
{
    internal RedisChannelMessage(string channel, string? pattern, byte[] payload, bool sharded = false)
    {
        Channel = channel;
        Pattern = pattern;
        PayloadBytes = payload;
        IsSharded = sharded;
    }

    /// <summary>The channel the message was published to.</summary>
    public string Channel { get; }

    /// <summary>The PSUBSCRIBE pattern that matched, or null for a SUBSCRIBE subscription.</summary>
    public string? Pattern { get; }

    public ReadOnlyMemory<byte> PayloadBytes { get; }

    /// <summary>True for a message on a sharded channel (SSUBSCRIBE / SPUBLISH).</summary>
    public bool IsSharded { get; }

    /// <summary>The payload decoded as UTF-8.</summary>
    public string Message => Encoding.UTF8.GetString(PayloadBytes.Span);

    public override string ToString() => $"{Channel}: {Message}";
}
