using System.Globalization;
using Stoa.Redis;

namespace Stoa.Foundation.Engine.Redis;

public sealed partial class RedisEngine
{
    public async ValueTask<bool> AddAsync(string key, string member, double score, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.ZAddAsync(key, member, score, cancellationToken);
        }
        finally
        {
            Changed(key);
        }
    }

    public async ValueTask AddManyAsync(string key, IReadOnlyList<SortedSetEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            await _client.ZAddAsync(key, [.. entries.Select(e => new Stoa.Redis.SortedSetEntry(e.Member, e.Score))], cancellationToken);
        }
        finally
        {
            Changed(key);
        }
    }

    public async ValueTask<bool> ApplyIfNewerAsync(string versionKey, string versionField, long version, IReadOnlyList<SortedSetChange> changes,
        CancellationToken cancellationToken)
    {
        var keys = new List<string> { versionKey };
        var args = new List<object> { versionField, version };
        foreach (var change in changes)
        {
            var index = keys.IndexOf(change.Key);
            if (index < 0)
            {
                keys.Add(change.Key);
                index = keys.Count - 1;
            }

            args.Add(index + 1);
            args.Add(change.Member);
            args.Add(change.Score is { } score ? score.ToString("R", CultureInfo.InvariantCulture) : "");
        }

        try
        {
            return (await _client.ScriptEvaluateAsync(RedisEngineScripts.ApplyIfNewer, keys, args, cancellationToken)).AsInt64() == 1;
        }
        finally
        {
            foreach (var change in changes)
            {
                Changed(change.Key);
            }
        }
    }

    public async ValueTask<bool> RemoveAsync(string key, string member, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.ZRemAsync(key, [member], cancellationToken) > 0;
        }
        finally
        {
            Changed(key);
        }
    }

    public ValueTask<double?> ScoreAsync(string key, string member, CancellationToken cancellationToken) =>
        _client.ZScoreAsync(key, member, cancellationToken);

    public ValueTask<long> CountAsync(string key, CancellationToken cancellationToken) => _client.ZCardAsync(key, cancellationToken);

    public async ValueTask<IReadOnlyList<SortedSetEntry>> RangeByScoreAsync(string key, ScoreBound min, ScoreBound max, bool descending,
        int offset, int count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return [];
        }

        // ZRANGE … BYSCORE REV takes the bounds high first.
        var (start, stop) = descending ? (Bound(max), Bound(min)) : (Bound(min), Bound(max));
        var rows = await _client.ZRangeWithScoresAsync(key, start, stop, ZRangeBy.Score, descending, offset, count, cancellationToken);
        return [.. rows.Select(r => new SortedSetEntry(r.Member, r.Score))];
    }

    private static string Bound(ScoreBound bound)
    {
        var value = double.IsNegativeInfinity(bound.Value) ? "-inf"
            : double.IsPositiveInfinity(bound.Value) ? "+inf"
            : bound.Value.ToString("R", CultureInfo.InvariantCulture);
        return bound.Exclusive && !double.IsInfinity(bound.Value) ? "(" + value : value;
    }
}
