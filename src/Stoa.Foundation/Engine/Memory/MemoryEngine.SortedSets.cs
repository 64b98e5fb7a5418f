namespace Stoa.Foundation.Engine.Memory;

public sealed partial class MemoryEngine
{
    public ValueTask<bool> AddAsync(string key, string member, double score, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var added = SortedSetFor(key, create: true)!.Add(member, score);
            Changed(key);
            return ValueTask.FromResult(added);
        }
    }

    public ValueTask AddManyAsync(string key, IReadOnlyList<SortedSetEntry> entries, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var set = SortedSetFor(key, create: true)!;
            foreach (var entry in entries)
            {
                set.Add(entry.Member, entry.Score);
            }

            Changed(key);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> ApplyIfNewerAsync(string versionKey, string versionField, long version, IReadOnlyList<SortedSetChange> changes,
        CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var versions = Find(versionKey);
            if (versions is null)
            {
                versions = new Entry { Versions = new Dictionary<string, long>(StringComparer.Ordinal) };
                Store(versionKey, versions);
            }

            var table = versions.Versions ?? throw new InvalidOperationException($"Key '{versionKey}' does not hold versions.");
            if (table.TryGetValue(versionField, out var current) && current >= version)
            {
                return ValueTask.FromResult(false);
            }

            table[versionField] = version;
            Changed(versionKey);
            foreach (var change in changes)
            {
                if (change.Score is { } score)
                {
                    SortedSetFor(change.Key, create: true)!.Add(change.Member, score);
                }
                else if (SortedSetFor(change.Key, create: false) is { } set)
                {
                    set.Remove(change.Member);
                    if (set.Count == 0)
                    {
                        Drop(change.Key);
                    }
                }

                Changed(change.Key);
            }

            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> RemoveAsync(string key, string member, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var set = SortedSetFor(key, create: false);
            var removed = set?.Remove(member) ?? false;
            if (set is { Count: 0 })
            {
                // Redis deletes a sorted set when its last member goes.
                Drop(key);
            }

            if (removed)
            {
                Changed(key);
            }

            return ValueTask.FromResult(removed);
        }
    }

    public ValueTask<double?> ScoreAsync(string key, string member, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(SortedSetFor(key, create: false)?.Score(member));
        }
    }

    public ValueTask<long> CountAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult((long)(SortedSetFor(key, create: false)?.Count ?? 0));
        }
    }

    public ValueTask<IReadOnlyList<SortedSetEntry>> RangeByScoreAsync(string key, ScoreBound min, ScoreBound max, bool descending,
        int offset, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<SortedSetEntry> result = SortedSetFor(key, create: false)?.Range(min, max, descending, offset, count) ?? [];
            return ValueTask.FromResult(result);
        }
    }

    private MemorySortedSet? SortedSetFor(string key, bool create)
    {
        var entry = Find(key);
        if (entry is null)
        {
            if (!create)
            {
                return null;
            }

            entry = new Entry { SortedSet = new MemorySortedSet() };
            Store(key, entry);
        }

        return entry.SortedSet ?? throw new InvalidOperationException($"Key '{key}' does not hold a sorted set.");
    }
}
