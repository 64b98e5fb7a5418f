namespace Stoa.Foundation.Engine.Memory;

/// <summary>A sorted set with Redis ordering: by score, then by member (ordinal).</summary>
internal sealed class MemorySortedSet
{
    private static readonly Comparer<(double Score, string Member)> s_order = Comparer<(double Score, string Member)>.Create((a, b) =>
    {
        var byScore = a.Score.CompareTo(b.Score);
        return byScore != 0 ? byScore : string.CompareOrdinal(a.Member, b.Member);
    });

    private readonly SortedSet<(double Score, string Member)> _ordered = new(s_order);
    private readonly Dictionary<string, double> _scores = new(StringComparer.Ordinal);

    public int Count => _scores.Count;

    /// <summary>An estimate of the memory the members take in both indexes.</summary>
    public long ApproximateBytes { get; private set; }

    public bool Add(string member, double score)
    {
        if (_scores.TryGetValue(member, out var old))
        {
            _ordered.Remove((old, member));
            _ordered.Add((score, member));
            _scores[member] = score;
            return false;
        }

        _ordered.Add((score, member));
        _scores[member] = score;
        ApproximateBytes += MemberBytes(member);
        return true;
    }

    private static long MemberBytes(string member) => 112 + (2L * member.Length);

    public bool Remove(string member)
    {
        if (!_scores.Remove(member, out var score))
        {
            return false;
        }

        _ordered.Remove((score, member));
        ApproximateBytes -= MemberBytes(member);
        return true;
    }

    public double? Score(string member) => _scores.TryGetValue(member, out var score) ? score : null;

    public List<SortedSetEntry> Range(ScoreBound min, ScoreBound max, bool descending, int offset, int count)
    {
        var result = new List<SortedSetEntry>(Math.Min(count, 256));
        if (count <= 0 || min.Value > max.Value)
        {
            return result;
        }

        var view = _ordered.GetViewBetween((min.Value, ""), (max.Value, "\uFFFF\uFFFF\uFFFF\uFFFF"));
        var items = descending ? view.Reverse() : view;
        var skipped = 0;
        foreach (var (score, member) in items)
        {
            if (!min.Admits(score) || !max.AdmitsAsMax(score))
            {
                continue;
            }

            if (skipped++ < offset)
            {
                continue;
            }

            result.Add(new SortedSetEntry(member, score));
            if (result.Count == count)
            {
                break;
            }
        }

        return result;
    }
}
