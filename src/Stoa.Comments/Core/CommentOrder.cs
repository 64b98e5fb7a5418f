namespace Stoa.Comments.Core;

/// <summary>
/// The listing orders as comparers, equal to the SQL's ORDER BY (key, then id in its canonical text form, which is
/// also PostgreSQL's uuid order), used where rows come back grouped rather than ordered.
/// </summary>
internal static class CommentOrder
{
    public static IComparer<Comment> For(CommentSort sort) => Comparer<Comment>.Create((a, b) =>
    {
        var byKey = sort switch
        {
            CommentSort.New or CommentSort.Old => a.CreatedAt.CompareTo(b.CreatedAt),
            CommentSort.Top => a.Upvotes.CompareTo(b.Upvotes),
            CommentSort.Replies => a.ReplyCount.CompareTo(b.ReplyCount),
            CommentSort.Best => a.Best.CompareTo(b.Best),
            CommentSort.Hot => a.Hot.CompareTo(b.Hot),
            _ => a.Controversy.CompareTo(b.Controversy),
        };
        if (byKey == 0)
        {
            byKey = string.CompareOrdinal(a.Id.ToString("D"), b.Id.ToString("D"));
        }

        return sort == CommentSort.Old ? byKey : -byKey;
    });
}
