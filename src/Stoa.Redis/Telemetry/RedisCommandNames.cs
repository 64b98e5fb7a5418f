using System.Collections.Concurrent;
using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Telemetry;

/// <summary>
/// Names for spans and metrics, read off what is sent and received rather than passed around: the command of an
/// operation (<c>GET</c>, <c>EVALSHA</c>; a block's first command, skipping the <c>ASKING</c> and <c>CLIENT</c> a
/// client puts in front of it) and the first word of an error reply (<c>MOVED</c>, <c>WRONGTYPE</c>). Each distinct
/// name is one string for the life of the process, so naming allocates nothing after the first time; the set is
/// bounded, past which everything is <c>OTHER</c>.
/// </summary>
internal static class RedisCommandNames
{
    public const string Other = "OTHER";
    private const int MaxNames = 512;
    private const int MaxLength = 32;
    private static readonly ConcurrentDictionary<string, string> s_names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The operation's command; call before it is sent (the payload goes back to the pool once written).</summary>
    public static string Of(RedisOperation operation)
    {
        var payload = operation.Payload;
        while (TryReadCommand(ref payload, out var name))
        {
            if (!name.SequenceEqual("ASKING"u8) && !name.SequenceEqual("CLIENT"u8))
            {
                return Intern(name);
            }
        }

        return Other;
    }

    /// <summary>The code an error reply starts with (<c>ERR</c>, <c>MOVED</c>, <c>NOSCRIPT</c>…).</summary>
    public static string ErrorType(in RespValue reply)
    {
        var text = reply.Span;
        var end = text.IndexOf((byte)' ');
        return Intern(end < 0 ? text : text[..end]);
    }

    private static string Intern(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > MaxLength)
        {
            return Other;
        }

        Span<char> upper = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            var c = (char)name[i];
            if (!char.IsAsciiLetter(c) && c != '_' && c != '-' && c != '.')
            {
                return Other;
            }

            upper[i] = char.ToUpperInvariant(c);
        }

        if (s_lookup.TryGetValue(upper, out var known))
        {
            return known;
        }

        if (s_names.Count >= MaxNames)
        {
            return Other;
        }

        var added = new string(upper);
        return s_names.GetOrAdd(added, added);
    }

    /// <summary>Reads one command's name (<c>*N\r\n$L\r\nNAME\r\n</c>) and moves past the whole command.</summary>
    private static bool TryReadCommand(ref ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (!TryReadHeader(ref payload, (byte)'*', out var arguments) || arguments < 1)
        {
            return false;
        }

        for (var i = 0; i < arguments; i++)
        {
            if (!TryReadHeader(ref payload, (byte)'$', out var length) || payload.Length < length + 2)
            {
                return false;
            }

            if (i == 0)
            {
                name = payload[..length];
            }

            payload = payload[(length + 2)..];
        }

        return true;
    }

    private static bool TryReadHeader(ref ReadOnlySpan<byte> payload, byte prefix, out int value)
    {
        value = 0;
        var end = payload.IndexOf("\r\n"u8);
        if (end < 2 || payload[0] != prefix || !int.TryParse(payload[1..end], out value) || value < 0)
        {
            return false;
        }

        payload = payload[(end + 2)..];
        return true;
    }
}
