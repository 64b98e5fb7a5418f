using System.Globalization;
using Stoa.Redis.Connection;

namespace Stoa.Redis;

/// <summary>
/// Which arguments of a command given by name (<see cref="RedisClient.ExecuteAsync(string, ReadOnlySpan{object})"/>,
/// <see cref="RedisTransaction.AddAsync"/>) are keys, so that a cluster client can route it by slot and refuse keys
/// that span slots. Follows the key specs of <c>COMMAND INFO</c> for the commands that do not simply take one key
/// first; any other command is taken to have its key first (a wrong guess costs one <c>MOVED</c>, never a wrong
/// result, since the node that owns the real key answers).
/// </summary>
internal static class RedisCommandKeys
{
    private static readonly HashSet<string> s_keyless = new(StringComparer.OrdinalIgnoreCase)
    {
        "ACL", "ASKING", "AUTH", "BGREWRITEAOF", "BGSAVE", "CLIENT", "CLUSTER", "COMMAND", "CONFIG", "DBSIZE", "DEBUG",
        "DISCARD", "ECHO", "EXEC", "FAILOVER", "FLUSHALL", "FLUSHDB", "FUNCTION", "HELLO", "INFO", "KEYS", "LASTSAVE",
        "LATENCY", "LOLWUT", "MODULE", "MONITOR", "MULTI", "PING", "PSUBSCRIBE", "PUBLISH", "PUBSUB", "PUNSUBSCRIBE",
        "QUIT", "RANDOMKEY", "READONLY", "READWRITE", "REPLICAOF", "RESET", "ROLE", "SAVE", "SCAN", "SCRIPT", "SELECT",
        "SHUTDOWN", "SLAVEOF", "SLOWLOG", "SUBSCRIBE", "SWAPDB", "TIME", "UNSUBSCRIBE", "UNWATCH", "WAIT", "WAITAOF",
    };

    private static readonly HashSet<string> s_allKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "DEL", "EXISTS", "MGET", "PFCOUNT", "PFMERGE", "RENAME", "RENAMENX", "SDIFF", "SDIFFSTORE", "SINTER",
        "SINTERSTORE", "SUNION", "SUNIONSTORE", "TOUCH", "UNLINK", "WATCH",
    };

    private static readonly HashSet<string> s_twoKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "BLMOVE", "BRPOPLPUSH", "COPY", "GEOSEARCHSTORE", "LCS", "LMOVE", "RPOPLPUSH", "SMOVE", "ZRANGESTORE",
    };

    /// <summary>Writes <paramref name="command"/> and <paramref name="args"/> as one command, keys marked.</summary>
    public static void Append(RedisOperation operation, string command, ReadOnlySpan<object> args)
    {
        operation.Command(args.Length + 1).Arg(command);
        var keys = KeyPositions(command, args);
        for (int i = 0; i < args.Length; i++)
        {
            if (keys.Contains(i, args.Length))
            {
                operation.Key(args[i]);
            }
            else
            {
                operation.Arg(args[i]);
            }
        }
    }

    private static KeyRange KeyPositions(string command, ReadOnlySpan<object> args)
    {
        if (args.Length == 0 || s_keyless.Contains(command))
        {
            return default;
        }

        if (s_allKeys.Contains(command))
        {
            return new KeyRange(0, args.Length, 1);
        }

        if (s_twoKeys.Contains(command))
        {
            return new KeyRange(0, 2, 1);
        }

        switch (command.ToUpperInvariant())
        {
            case "MSET":
            case "MSETNX":
                return new KeyRange(0, args.Length, 2);
            case "BLPOP":
            case "BRPOP":
            case "BZPOPMIN":
            case "BZPOPMAX":
                // Keys, then the timeout.
                return new KeyRange(0, args.Length - 1, 1);
            case "EVAL":
            case "EVALSHA":
            case "EVAL_RO":
            case "EVALSHA_RO":
            case "FCALL":
            case "FCALL_RO":
                return new KeyRange(2, NumKeys(args, 1), 1);
            case "ZUNION":
            case "ZINTER":
            case "ZDIFF":
            case "ZINTERCARD":
            case "SINTERCARD":
            case "LMPOP":
            case "ZMPOP":
                return new KeyRange(1, NumKeys(args, 0), 1);
            case "BLMPOP":
            case "BZMPOP":
                return new KeyRange(2, NumKeys(args, 1), 1);
            case "ZUNIONSTORE":
            case "ZINTERSTORE":
            case "ZDIFFSTORE":
                return new KeyRange(2, NumKeys(args, 1), 1, AlsoFirst: true);
            case "XREAD":
            case "XREADGROUP":
                return StreamKeys(args);
            case "OBJECT":
            case "MEMORY":
            case "XINFO":
            case "XGROUP":
                // A subcommand, then the key (OBJECT ENCODING key, MEMORY USAGE key…).
                return new KeyRange(1, 1, 1);
            default:
                return new KeyRange(0, 1, 1);
        }
    }

    private static int NumKeys(ReadOnlySpan<object> args, int index)
        => index < args.Length && int.TryParse(Convert.ToString(args[index], CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            ? count
            : 0;

    /// <summary>XREAD … STREAMS key… id…: the first half of what follows STREAMS.</summary>
    private static KeyRange StreamKeys(ReadOnlySpan<object> args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is string word && word.Equals("STREAMS", StringComparison.OrdinalIgnoreCase))
            {
                return new KeyRange(i + 1, (args.Length - i - 1) / 2, 1);
            }
        }

        return default;
    }

    /// <summary><paramref name="Count"/> keys from <paramref name="Start"/>, every <paramref name="Step"/>th argument,
    /// plus the first argument when <paramref name="AlsoFirst"/> (a destination key before numkeys).</summary>
    private readonly record struct KeyRange(int Start, int Count, int Step, bool AlsoFirst = false)
    {
        public bool Contains(int index, int argumentCount)
        {
            if (AlsoFirst && index == 0)
            {
                return true;
            }

            int offset = index - Start;
            return Step > 0 && offset >= 0 && offset % Step == 0 && offset / Step < Count && index < argumentCount;
        }
    }
}
