namespace Stoa.Comments.Core;

/// <summary>
/// The listing orders. Each maps to one composite index ending in (key, id); ties break on the random id, so that
/// keyset paging has a total order.
/// </summary>
internal enum CommentSort
{
    /// <summary>Newest first.</summary>
    New,

    /// <summary>Oldest first (chronological reading).</summary>
    Old,

    /// <summary>Most upvotes first (the exercise's "by upvotes").</summary>
    Top,

    /// <summary>Most direct replies first.</summary>
    Replies,

    /// <summary>Wilson score lower bound of the upvote ratio.</summary>
    Best,

    /// <summary>Reddit's hot: log-scaled score plus a time term, so newer comments rise.</summary>
    Hot,

    /// <summary>Reddit's controversy: many votes, evenly split.</summary>
    Controversial,
}

internal static class CommentSorts
{
    public static bool TryParse(string? value, out CommentSort sort)
    {
        switch (value)
        {
            case null or "" or "best":
                sort = CommentSort.Best;
                return true;
            case "new":
                sort = CommentSort.New;
                return true;
            case "old":
                sort = CommentSort.Old;
                return true;
            case "top":
                sort = CommentSort.Top;
                return true;
            case "replies":
                sort = CommentSort.Replies;
                return true;
            case "hot":
                sort = CommentSort.Hot;
                return true;
            case "controversial":
                sort = CommentSort.Controversial;
                return true;
            default:
                sort = default;
                return false;
        }
    }

    public static string Name(this CommentSort sort) => sort.ToString().ToLowerInvariant();

    /// <summary>True when the sort key is a time (the cursor carries ticks); false for counters and scores.</summary>
    public static bool ByTime(this CommentSort sort) => sort is CommentSort.New or CommentSort.Old;

    /// <summary>True when the key is a double (best, hot, controversial); counters and times are integers.</summary>
    public static bool ByScore(this CommentSort sort) => sort is CommentSort.Best or CommentSort.Hot or CommentSort.Controversial;
}
