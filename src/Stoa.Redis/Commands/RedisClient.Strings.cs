using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

public sealed partial class RedisClient
{
    /// <summary>GET as UTF-8; null when the key does not exist.</summary>
    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
        => (await SendCheckedAsync(Key1("GET"u8, key), cancellationToken)).AsString();

    /// <summary>GET as bytes; null when the key does not exist.</summary>
    public async ValueTask<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default)
        => (await SendCheckedAsync(Key1("GET"u8, key), cancellationToken)).AsBytes();

    /// <summary>SET with optional expiry (sent as PX) and NX/XX; false when the condition prevented the write.</summary>
    public ValueTask<bool> SetAsync(string key, string value, TimeSpan? expiry = null, SetCondition condition = SetCondition.Always, CancellationToken cancellationToken = default)
        => SetCoreAsync(BuildSet(key, value, null, expiry, condition), cancellationToken);

    /// <inheritdoc cref="SetAsync(string, string, TimeSpan?, SetCondition, CancellationToken)"/>
    public ValueTask<bool> SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, SetCondition condition = SetCondition.Always, CancellationToken cancellationToken = default)
        => SetCoreAsync(BuildSet(key, null, value, expiry, condition), cancellationToken);

    internal static RedisOperation BuildSet(string key, string? text, ReadOnlyMemory<byte> bytes, TimeSpan? expiry, SetCondition condition, int expectedReplies = 1)
    {
        var operation = new RedisOperation(expectedReplies);
        AppendSet(operation, key, text, bytes, expiry, condition);
        return operation;
    }

    internal static void AppendSet(RedisOperation operation, string key, string? text, ReadOnlyMemory<byte> bytes, TimeSpan? expiry, SetCondition condition)
    {
        int count = 3 + (expiry is null ? 0 : 2) + (condition == SetCondition.Always ? 0 : 1);
        operation.Command(count).Arg("SET"u8).Key(key);
        if (text is not null)
        {
            operation.Arg(text);
        }
        else
        {
            operation.Arg(bytes.Span);
        }

        if (expiry is { } ttl)
        {
            operation.Arg("PX"u8).Arg(ToMilliseconds(ttl));
        }

        if (condition != SetCondition.Always)
        {
            operation.Arg(condition == SetCondition.IfNotExists ? "NX"u8 : "XX"u8);
        }
    }

    private async ValueTask<bool> SetCoreAsync(RedisOperation operation, CancellationToken cancellationToken)
        => !(await SendCheckedAsync(operation, cancellationToken)).IsNull;

    /// <summary>MGET; one entry per key, null where the key does not exist.</summary>
    public async ValueTask<string?[]> MGetAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(keys.Count + 1).Arg("MGET"u8);
        foreach (string key in keys)
        {
            operation.Key(key);
        }

        var reply = await SendCheckedAsync(operation, cancellationToken);
        var items = reply.Items;
        var result = new string?[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            result[i] = items[i].AsString();
        }

        return result;
    }

    /// <summary>INCRBY; returns the new value.</summary>
    public async ValueTask<long> IncrByAsync(string key, long increment = 1, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(3).Arg("INCRBY"u8).Key(key).Arg(increment);
        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64();
    }

    /// <summary>DEL; returns how many keys existed.</summary>
    public async ValueTask<long> DelAsync(params IReadOnlyList<string> keys)
        => await DelAsync(keys, CancellationToken.None);

    /// <inheritdoc cref="DelAsync(IReadOnlyList{string})"/>
    public async ValueTask<long> DelAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var operation = new RedisOperation();
        operation.Command(keys.Count + 1).Arg("DEL"u8);
        foreach (string key in keys)
        {
            operation.Key(key);
        }

        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64();
    }

    /// <summary>EXPIRE in whole seconds (rounded up); false when the key does not exist.</summary>
    public async ValueTask<bool> ExpireAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(3).Arg("EXPIRE"u8).Key(key).Arg((long)Math.Ceiling(expiry.TotalSeconds));
        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64() == 1;
    }

    /// <summary>PEXPIRE in milliseconds; false when the key does not exist.</summary>
    public async ValueTask<bool> PExpireAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(3).Arg("PEXPIRE"u8).Key(key).Arg(ToMilliseconds(expiry));
        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64() == 1;
    }

    internal static RedisOperation Key1(ReadOnlySpan<byte> command, string key)
    {
        var operation = new RedisOperation();
        operation.Command(2).Arg(command).Key(key);
        return operation;
    }

    private static long ToMilliseconds(TimeSpan value)
    {
        long ms = (long)Math.Ceiling(value.TotalMilliseconds);
        if (ms <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "An expiry must be positive.");
        }

        return ms;
    }

}
