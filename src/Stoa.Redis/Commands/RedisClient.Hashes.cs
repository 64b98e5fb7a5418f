using Stoa.Redis.Connection;

namespace Stoa.Redis;

public sealed partial class RedisClient
{
    /// <summary>HGET; null when the key or field does not exist.</summary>
    public async ValueTask<string?> HGetAsync(string key, string field, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(3).Arg("HGET"u8).Key(key).Arg(field);
        return (await SendCheckedAsync(operation, cancellationToken)).AsString();
    }

    /// <summary>HSET of one field; true when the field is new.</summary>
    public async ValueTask<bool> HSetAsync(string key, string field, string value, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(4).Arg("HSET"u8).Key(key).Arg(field).Arg(value);
        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64() == 1;
    }

    /// <summary>HSET of several fields; returns how many were new.</summary>
    public async ValueTask<long> HSetAsync(string key, IReadOnlyCollection<KeyValuePair<string, string>> fields, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(2 + (2 * fields.Count)).Arg("HSET"u8).Key(key);
        foreach (var (field, value) in fields)
        {
            operation.Arg(field).Arg(value);
        }

        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64();
    }

    /// <summary>HGETALL; empty when the key does not exist.</summary>
    public async ValueTask<Dictionary<string, string>> HGetAllAsync(string key, CancellationToken cancellationToken = default)
    {
        var reply = await SendCheckedAsync(Key1("HGETALL"u8, key), cancellationToken);
        var items = reply.Items;
        var result = new Dictionary<string, string>(items.Length / 2, StringComparer.Ordinal);
        for (int i = 0; i + 1 < items.Length; i += 2)
        {
            result[items[i].AsString()!] = items[i + 1].AsString()!;
        }

        return result;
    }

    /// <summary>HDEL; returns how many fields existed.</summary>
    public async ValueTask<long> HDelAsync(string key, IReadOnlyList<string> fields, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(2 + fields.Count).Arg("HDEL"u8).Key(key);
        foreach (string field in fields)
        {
            operation.Arg(field);
        }

        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64();
    }

    /// <summary>HINCRBY; returns the new value.</summary>
    public async ValueTask<long> HIncrByAsync(string key, string field, long increment = 1, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(4).Arg("HINCRBY"u8).Key(key).Arg(field).Arg(increment);
        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64();
    }
}
