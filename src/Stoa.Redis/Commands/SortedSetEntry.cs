namespace Stoa.Redis;

/// <summary>A sorted-set member with its score.</summary>
public readonly record struct SortedSetEntry(string Member, double Score);

/// <summary>How ZRANGE interprets start/stop: ranks, scores (<c>-inf</c>, <c>(1.5</c>…) or lexical bounds
/// (<c>-</c>, <c>+</c>, <c>[a</c>, <c>(b</c>).</summary>
public enum ZRangeBy
{
    Rank,
    Score,
    Lex,
}
