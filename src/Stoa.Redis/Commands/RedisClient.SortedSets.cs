using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

public sealed partial class RedisClient
{
    /// <summary>ZADD of one member; true when it is new (an existing member gets its score updated).</summary>
    public async ValueTask<bool> ZAddAsync(string key, string member, double score, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(4).Arg("ZADD"u8).Key(key).Arg(score).Arg(member);
        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64() == 1;
    }

    /// <summary>ZADD of several members; returns how many were new.</summary>
    public async ValueTask<long> ZAddAsync(string key, IReadOnlyCollection<SortedSetEntry> entries, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(2 + (2 * entries.Count)).Arg("ZADD"u8).Key(key);
        foreach (var entry in entries)
        {
            operation.Arg(entry.Score).Arg(entry.Member);
        }

        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64();
    }

    /// <summary>ZREM; returns how many members existed.</summary>
    public async ValueTask<long> ZRemAsync(string key, IReadOnlyList<string> members, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(2 + members.Count).Arg("ZREM"u8).Key(key);
        foreach (string member in members)
        {
            operation.Arg(member);
        }

        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64();
    }

    /// <summary>ZSCORE; null when the key or member does not exist.</summary>
    public async ValueTask<double?> ZScoreAsync(string key, string member, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(3).Arg("ZSCORE"u8).Key(key).Arg(member);
        var reply = await SendCheckedAsync(operation, cancellationToken);
        return reply.IsNull ? null : reply.AsDouble();
    }

    /// <summary>ZCARD.</summary>
    public async ValueTask<long> ZCardAsync(string key, CancellationToken cancellationToken = default)
        => (await SendCheckedAsync(Key1("ZCARD"u8, key), cancellationToken)).AsInt64();

    /// <summary>
    /// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count]. For <see cref="ZRangeBy.Score"/> the bounds
    /// are scores (<c>-inf</c>, <c>+inf</c>, <c>(1.5</c> exclusive); for <see cref="ZRangeBy.Lex"/> <c>-</c>, <c>+</c>,
    /// <c>[a</c>, <c>(a</c>. With <paramref name="reverse"/> pass the higher bound first, as Redis expects.
    /// </summary>
    public async ValueTask<string[]> ZRangeAsync(string key, string start, string stop, ZRangeBy by = ZRangeBy.Rank, bool reverse = false, long? offset = null, long? count = null, CancellationToken cancellationToken = default)
    {
        var reply = await SendCheckedAsync(BuildZRange(key, start, stop, by, reverse, offset, count, withScores: false), cancellationToken);
        var items = reply.Items;
        var result = new string[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            result[i] = items[i].AsString()!;
        }

        return result;
    }

    /// <summary>ZRANGE … WITHSCORES (not allowed with <see cref="ZRangeBy.Lex"/>); see
    /// <see cref="ZRangeAsync"/> for the bounds.</summary>
    public async ValueTask<SortedSetEntry[]> ZRangeWithScoresAsync(string key, string start, string stop, ZRangeBy by = ZRangeBy.Rank, bool reverse = false, long? offset = null, long? count = null, CancellationToken cancellationToken = default)
    {
        if (by == ZRangeBy.Lex)
        {
            throw new ArgumentException("Redis does not return scores for BYLEX ranges.", nameof(by));
        }

        var reply = await SendCheckedAsync(BuildZRange(key, start, stop, by, reverse, offset, count, withScores: true), cancellationToken);
        var items = reply.Items;
        if (items.Length > 0 && items[0].Type == RespType.Array)
        {
            // RESP3: [[member, score], …]
            var pairs = new SortedSetEntry[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                var pair = items[i].Items;
                pairs[i] = new SortedSetEntry(pair[0].AsString()!, pair[1].AsDouble());
            }

            return pairs;
        }

        var flat = new SortedSetEntry[items.Length / 2];
        for (int i = 0; i < flat.Length; i++)
        {
            flat[i] = new SortedSetEntry(items[2 * i].AsString()!, items[(2 * i) + 1].AsDouble());
        }

        return flat;
    }

    private static RedisOperation BuildZRange(string key, string start, string stop, ZRangeBy by, bool reverse, long? offset, long? count, bool withScores)
    {
        if ((offset is null) != (count is null))
        {
            throw new ArgumentException("LIMIT needs both offset and count.", nameof(offset));
        }

        if (offset is not null && by == ZRangeBy.Rank)
        {
            throw new ArgumentException("Redis accepts LIMIT only with BYSCORE or BYLEX.", nameof(offset));
        }

        int arguments = 4 + (by == ZRangeBy.Rank ? 0 : 1) + (reverse ? 1 : 0) + (offset is null ? 0 : 3) + (withScores ? 1 : 0);
        var operation = new RedisOperation();
        operation.Command(arguments).Arg("ZRANGE"u8).Key(key).Arg(start).Arg(stop);
        if (by != ZRangeBy.Rank)
        {
            operation.Arg(by == ZRangeBy.Score ? "BYSCORE"u8 : "BYLEX"u8);
        }

        if (reverse)
        {
            operation.Arg("REV"u8);
        }

        if (offset is not null)
        {
            operation.Arg("LIMIT"u8).Arg(offset.Value).Arg(count!.Value);
        }

        if (withScores)
        {
            operation.Arg("WITHSCORES"u8);
        }

        return operation;
    }
}
