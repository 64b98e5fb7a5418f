using System.Buffers.Text;
using System.Text;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Cluster;

internal enum RedirectKind
{
    None,

    /// <summary><c>-MOVED slot host:port</c>: the slot lives on another primary for good; update the map, resend.</summary>
    Moved,

    /// <summary><c>-ASK slot host:port</c>: the slot is being migrated and this key is already on the target; send
    /// ASKING and the command there once, without changing the map.</summary>
    Ask,

    /// <summary><c>-TRYAGAIN</c>: a multi-key command during a migration found only some of its keys; nothing ran.</summary>
    TryAgain,
}

/// <summary>A cluster redirect found in a reply. Nothing the redirected command asked for has run.</summary>
internal readonly record struct ClusterRedirect(RedirectKind Kind, int Slot, RedisEndpoint Target)
{
    /// <summary>
    /// The first redirect among a block's replies. In a MULTI block a redirected command makes EXEC abort, so the whole
    /// block can be sent again; the other blocks this library writes (CLIENT CACHING YES + GET) hold one key command.
    /// A MULTI block in which some commands were queued and others got <c>ASK</c> straddles a migration: its keys are
    /// partly still on the source, and sending it all to the target with ASKING would create there keys the source
    /// still holds. It is waited out like <c>TRYAGAIN</c> until every key moved (all <c>ASK</c>) or the slot did
    /// (<c>MOVED</c>).
    /// </summary>
    public static ClusterRedirect Find(ReadOnlySpan<RespValue> replies, RedisEndpoint replier)
    {
        ClusterRedirect found = default;
        bool queued = false;
        foreach (var reply in replies)
        {
            if (reply.Type == RespType.SimpleError && found.Kind == RedirectKind.None && TryParse(reply.Span, replier, out var redirect))
            {
                found = redirect;
            }
            else if (reply.Type == RespType.SimpleString && reply.Span.SequenceEqual("QUEUED"u8))
            {
                queued = true;
            }
        }

        return found.Kind == RedirectKind.Ask && queued ? found with { Kind = RedirectKind.TryAgain } : found;
    }

    /// <summary>Parses <c>MOVED 3999 127.0.0.1:6381</c>, <c>ASK 3999 [::1]:6381</c> (or <c>::1:6381</c>),
    /// <c>MOVED 3999 :6381</c> or <c>?:6381</c> (the replier's host) and <c>TRYAGAIN …</c>; anything else is not a redirect.</summary>
    public static bool TryParse(ReadOnlySpan<byte> error, RedisEndpoint replier, out ClusterRedirect redirect)
    {
        redirect = default;
        if (error.StartsWith("TRYAGAIN"u8))
        {
            redirect = new ClusterRedirect(RedirectKind.TryAgain, -1, replier);
            return true;
        }

        RedirectKind kind;
        if (error.StartsWith("MOVED "u8))
        {
            kind = RedirectKind.Moved;
            error = error[6..];
        }
        else if (error.StartsWith("ASK "u8))
        {
            kind = RedirectKind.Ask;
            error = error[4..];
        }
        else
        {
            return false;
        }

        int space = error.IndexOf((byte)' ');
        if (space <= 0 || !Utf8Parser.TryParse(error[..space], out int slot, out int consumed) || consumed != space
            || slot is < 0 or >= RedisHashSlot.Count)
        {
            return false;
        }

        var address = error[(space + 1)..];
        int colon = address.LastIndexOf((byte)':');
        if (colon < 0 || !Utf8Parser.TryParse(address[(colon + 1)..], out int port, out consumed)
            || consumed != address.Length - colon - 1 || port is <= 0 or > 65535)
        {
            return false;
        }

        string host = Encoding.UTF8.GetString(address[..colon]).Trim('[', ']');
        redirect = new ClusterRedirect(kind, slot, new RedisEndpoint(host is "" or "?" ? replier.Host : host, port));
        return true;
    }
}
