namespace Stoa.Redis;

/// <summary>Base of every exception this library throws on purpose.</summary>
public class RedisException : Exception
{
    public RedisException()
    {
    }

    public RedisException(string message)
        : base(message)
    {
    }

    public RedisException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The connection is down, could not be established within the deadline, or broke while the command was in flight.
/// For a command that was already sent, the server may or may not have executed it.
/// </summary>
public sealed class RedisConnectionException : RedisException
{
    public RedisConnectionException()
    {
    }

    public RedisConnectionException(string message)
        : base(message)
    {
    }

    public RedisConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The command got no reply within its timeout. The connection stays usable: the late reply is read and discarded,
/// so the order of the other callers' replies is kept. The server may or may not have executed the command.
/// </summary>
public sealed class RedisTimeoutException : RedisException
{
    public RedisTimeoutException()
    {
    }

    public RedisTimeoutException(string message)
        : base(message)
    {
    }

    public RedisTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The server replied with an error (for example <c>WRONGTYPE …</c>); <see cref="Prefix"/> is its first word.</summary>
public sealed class RedisServerException : RedisException
{
    public RedisServerException()
        : this("ERR")
    {
    }

    public RedisServerException(string message)
        : base(message)
    {
        int space = message.IndexOf(' ', StringComparison.Ordinal);
        Prefix = space < 0 ? message : message[..space];
    }

    public RedisServerException(string message, Exception? innerException)
        : base(message, innerException)
    {
        int space = message.IndexOf(' ', StringComparison.Ordinal);
        Prefix = space < 0 ? message : message[..space];
    }

    /// <summary>The error code, such as <c>ERR</c>, <c>WRONGTYPE</c>, <c>NOSCRIPT</c>.</summary>
    public string Prefix { get; }
}

/// <summary>
/// The bytes from the server are not valid RESP3 or exceed a configured cap (bulk length, aggregate length, nesting
/// depth, line length). The connection that produced them is closed: nothing after a malformed frame can be trusted.
/// </summary>
public sealed class RedisProtocolException : RedisException
{
    public RedisProtocolException()
    {
    }

    public RedisProtocolException(string message)
        : base(message)
    {
    }

    public RedisProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Redis Cluster mode: the keys of one command, script or transaction hash to different slots, so no single node can
/// run it. Thrown before anything is sent. Keys that must be used together need a common <c>{hash tag}</c>.
/// </summary>
public sealed class RedisCrossSlotException : RedisException
{
    public RedisCrossSlotException()
    {
    }

    public RedisCrossSlotException(string message)
        : base(message)
    {
    }

    public RedisCrossSlotException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal RedisCrossSlotException(int slot, int otherSlot, string? key, string? otherKey)
        : base($"The keys of this command, script or transaction hash to different cluster slots: {Describe(slot, key)} and {Describe(otherSlot, otherKey)}. "
            + "On a Redis Cluster they must share a slot: give them a common {hash tag}.")
    {
        Slots = [slot, otherSlot];
    }

    /// <summary>Two of the slots the keys hash to.</summary>
    public IReadOnlyList<int> Slots { get; } = [];

    private static string Describe(int slot, string? key) => key is null ? $"slot {slot}" : $"slot {slot} ('{key}')";
}

/// <summary>The cluster node's connection was closed because the node no longer owns slots; the operation was never
/// written, so the router sends it to the current owner. Never reaches callers.</summary>
internal sealed class NodeRetiredException : RedisException
{
    public NodeRetiredException()
        : base("The cluster node's connection was retired before the command was sent.")
    {
    }
}
