namespace Stoa.Foundation.Engine;

/// <summary>
/// Sorted sets of string members by score, shared by every node, with Redis semantics: equal scores order by member
/// (ordinal, byte-wise for ASCII); descending reverses both. Each operation is atomic on its key.
/// </summary>
public interface ISortedSets
{
    /// <summary>Adds the member or updates its score; true when the member is new.</summary>
    ValueTask<bool> AddAsync(string key, string member, double score, CancellationToken cancellationToken);

    /// <summary>Adds or updates many members at once.</summary>
    ValueTask AddManyAsync(string key, IReadOnlyList<SortedSetEntry> entries, CancellationToken cancellationToken);

    ValueTask<bool> RemoveAsync(string key, string member, CancellationToken cancellationToken);

    ValueTask<double?> ScoreAsync(string key, string member, CancellationToken cancellationToken);

    ValueTask<long> CountAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="changes"/> atomically, but only if <paramref name="version"/> is greater than the
    /// version recorded under (<paramref name="versionKey"/>, <paramref name="versionField"/>); records it and returns
    /// true when applied. Mirrors of store rows use the row's version so that concurrent writers, retries and
    /// rebuilds converge on the newest state whatever order they arrive in. On a Redis Cluster the version key and every
    /// changed key must share a <c>{hash tag}</c> (one slot), or the call fails before anything is written.
    /// </summary>
    ValueTask<bool> ApplyIfNewerAsync(string versionKey, string versionField, long version, IReadOnlyList<SortedSetChange> changes,
        CancellationToken cancellationToken);

    /// <summary>Members with a score between the bounds, ascending or descending, skipping <paramref name="offset"/>.</summary>
    ValueTask<IReadOnlyList<SortedSetEntry>> RangeByScoreAsync(string key, ScoreBound min, ScoreBound max, bool descending,
        int offset, int count, CancellationToken cancellationToken);
}

public readonly record struct SortedSetEntry(string Member, double Score);

/// <summary>Adds (with <see cref="Score"/>) or removes (<see cref="Score"/> null) one member of one sorted set.</summary>
public readonly record struct SortedSetChange(string Key, string Member, double? Score)
{
    public static SortedSetChange Add(string key, string member, double score) => new(key, member, score);

    public static SortedSetChange Remove(string key, string member) => new(key, member, null);
}

/// <summary>One end of a score range; <see cref="Exclusive"/> leaves the value itself out (keyset paging).</summary>
public readonly record struct ScoreBound(double Value, bool Exclusive = false)
{
    public static ScoreBound MinusInfinity => new(double.NegativeInfinity);

    public static ScoreBound PlusInfinity => new(double.PositiveInfinity);

    public bool Admits(double score) => Exclusive ? score > Value : score >= Value;

    public bool AdmitsAsMax(double score) => Exclusive ? score < Value : score <= Value;
}
