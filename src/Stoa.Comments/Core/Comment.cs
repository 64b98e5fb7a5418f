namespace Stoa.Comments.Core;

/// <summary>One stored comment with its counters. A deleted comment keeps its place (and replies) but no body.</summary>
internal sealed record Comment
{
    public required Guid Id { get; init; }

    public required string ThreadId { get; init; }

    public Guid? ParentId { get; init; }

    public required Guid RootId { get; init; }

    public required int Depth { get; init; }

    public required string AuthorId { get; init; }

    public required string Body { get; init; }

    public required string BodyHtml { get; init; }

    public IReadOnlyList<LinkCardSummary> Links { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EditedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public long Upvotes { get; init; }

    public long Downvotes { get; init; }

    public long Likes { get; init; }

    public long ReplyCount { get; init; }

    public double Best { get; init; }

    public double Hot { get; init; }

    public double Controversy { get; init; }

    public bool IsDeleted => DeletedAt is not null;
}

/// <summary>A comment in a listing with the replies inlined below it (up to the requested number and depth).</summary>
internal sealed record CommentNode(Comment Comment, IReadOnlyList<CommentNode> Replies);

/// <summary>One page of a listing: items in order, and where the next page starts (null at the end).</summary>
internal sealed record CommentPage(IReadOnlyList<CommentNode> Items, PageCursor? Next)
{
    /// <summary>Every comment on the page, inlined replies included.</summary>
    public List<Guid> Ids()
    {
        var ids = new List<Guid>();
        Collect(Items, ids);
        return ids;
    }

    private static void Collect(IReadOnlyList<CommentNode> nodes, List<Guid> ids)
    {
        foreach (var node in nodes)
        {
            ids.Add(node.Comment.Id);
            Collect(node.Replies, ids);
        }
    }
}

/// <summary>A page and, when a user asked for it, that user's vote and like on its comments (empty for everyone else).</summary>
internal sealed record ViewedPage(CommentPage Page, IReadOnlyDictionary<Guid, ViewerState> Viewer);

/// <summary>A comment and the asking user's vote and like on it.</summary>
internal sealed record ViewedComment(Comment Comment, ViewerState Viewer);

/// <summary>
/// Where a keyset page starts: strictly after (key, id) in the listing's order. The key is a time in ticks for
/// new/old, a counter for top/replies, a double for best/hot/controversial.
/// <para>By design, paging a sort whose key changes while the client pages (votes move a comment's top/best/hot/
/// controversial key, replies move reply_count) may show a comment twice or skip it: the cursor remembers a position
/// in the order, not a snapshot. new/old never change, so their pages have no duplicates and no gaps. Snapshotting
/// (or offset paging) would cost deep pages their constant cost; feeds of this kind accept the trade.</para>
/// </summary>
internal sealed record PageCursor(CommentSort Sort, Guid? ParentId, long LongKey, double DoubleKey, Guid LastId)
{
    public static PageCursor After(CommentSort sort, Guid? parentId, Comment last) => sort switch
    {
        CommentSort.New or CommentSort.Old => new(sort, parentId, last.CreatedAt.UtcTicks, 0, last.Id),
        CommentSort.Top => new(sort, parentId, last.Upvotes, 0, last.Id),
        CommentSort.Replies => new(sort, parentId, last.ReplyCount, 0, last.Id),
        CommentSort.Best => new(sort, parentId, 0, last.Best, last.Id),
        CommentSort.Hot => new(sort, parentId, 0, last.Hot, last.Id),
        _ => new(sort, parentId, 0, last.Controversy, last.Id),
    };
}

/// <summary>What a listing asks for. <see cref="Replies"/> replies per comment are inlined down to <see cref="Depth"/> levels.</summary>
internal sealed record ListQuery(string ThreadId, CommentSort Sort, Guid? ParentId, PageCursor? Cursor, int Limit, int Replies, int Depth)
{
    /// <summary>The most comments the listing returns, page and inlined replies together (<see cref="CommentsOptions.MaxListingRows"/>).</summary>
    public int MaxRows { get; init; } = int.MaxValue;
}

/// <summary>The counters of one comment after a vote or like, and the caller's own state.</summary>
internal sealed record CommentCounts(Guid Id, string ThreadId, long Upvotes, long Downvotes, long Likes, long ReplyCount, int MyVote, bool Liked)
{
    public static CommentCounts Of(Comment comment, ViewerState viewer) =>
        new(comment.Id, comment.ThreadId, comment.Upvotes, comment.Downvotes, comment.Likes, comment.ReplyCount, viewer.Vote, viewer.Liked);
}

/// <summary>The caller's own vote (-1, 0, 1) and like on a comment.</summary>
internal readonly record struct ViewerState(int Vote, bool Liked);

/// <summary>A thread's summary. Threads exist implicitly: one never written to has zero counts.</summary>
internal sealed record ThreadInfo(string ThreadId, long CommentCount, bool Locked);

/// <summary>
/// A comment to insert, already validated and rendered. <see cref="Keyed"/>: its id comes from the client's
/// Idempotency-Key (<see cref="CommentIds.Keyed"/>), so an existing comment with that id is this one, sent again.
/// </summary>
internal sealed record NewComment(Guid Id, string ThreadId, Guid? ParentId, string AuthorId, string Body, string BodyHtml,
    IReadOnlyList<LinkCardSummary> Links, DateTimeOffset CreatedAt, bool Keyed = false);

/// <summary>
/// The comment a create returned; <see cref="Replayed"/> when it existed already (same Idempotency-Key).
/// <see cref="ParentCounts"/>: for a new reply, its parent's counters with this reply counted, read in the same
/// transaction, so that live listeners see the parent's reply count move.
/// </summary>
internal sealed record CreatedComment(Comment Comment, bool Replayed, CommentCounts? ParentCounts = null);
