namespace Stoa.Comments.Core;

/// <summary>
/// The rules, as pure functions over rows read inside the write's transaction (<see cref="ICommentStore.InTransactionAsync"/>),
/// so that a check and the write it guards cannot be separated by a concurrent change; and the arithmetic of a write:
/// where a new comment sits in the tree, how votes move the counters and the scores derived from them.
/// </summary>
internal static class CommentRules
{
    public const int MaxBodyLength = 10_000;

    /// <summary>A locked thread is read-only for its users: no comments, edits, votes or likes (deletes still go through).</summary>
    public static void EnsureUnlocked(bool threadLocked)
    {
        if (threadLocked)
        {
            throw CommentErrors.Locked();
        }
    }

    public static void EnsureCanReply(Comment? parent, string threadId)
    {
        if (parent is null || parent.ThreadId != threadId)
        {
            throw CommentErrors.NoParent();
        }

        if (parent.IsDeleted)
        {
            throw CommentErrors.Deleted();
        }
    }

    public static void EnsureCanEdit(Comment comment, string userId, DateTimeOffset now, TimeSpan window)
    {
        if (comment.IsDeleted)
        {
            throw CommentErrors.Deleted();
        }

        if (comment.AuthorId != userId)
        {
            throw CommentErrors.NotAuthor();
        }

        if (now - comment.CreatedAt > window)
        {
            throw CommentErrors.WindowClosed(window);
        }
    }

    /// <summary>Authors delete their own comments; the app's backend (null user) deletes any.</summary>
    public static void EnsureCanDelete(Comment comment, string? userId)
    {
        if (userId is not null && comment.AuthorId != userId)
        {
            throw CommentErrors.NotAuthor();
        }
    }

    public static void EnsureCanVote(Comment comment, string userId)
    {
        if (comment.IsDeleted)
        {
            throw CommentErrors.Deleted();
        }

        if (comment.AuthorId == userId)
        {
            throw CommentErrors.OwnComment();
        }
    }

    public static void EnsureCanLike(Comment comment)
    {
        if (comment.IsDeleted)
        {
            throw CommentErrors.Deleted();
        }
    }

    /// <summary>
    /// Whether a vote or like may be applied, checked in the order a single vote's transaction checks them: a deleted
    /// comment, a vote on one's own comment, then a locked thread.
    /// </summary>
    public static void EnsureCanApply(Comment comment, CounterChange change, bool threadLocked)
    {
        if (change.Kind == CounterKind.Vote)
        {
            EnsureCanVote(comment, change.UserId);
        }
        else
        {
            EnsureCanLike(comment);
        }

        EnsureUnlocked(threadLocked);
    }

    /// <summary>
    /// The comment and the user's own state after one change. A change that restates what the user has (the same vote
    /// again, a like on a liked comment) changes nothing.
    /// </summary>
    public static (Comment Comment, ViewerState Viewer) Apply(Comment comment, ViewerState viewer, CounterChange change)
    {
        if (change.Kind == CounterKind.Vote)
        {
            return viewer.Vote == change.Value ? (comment, viewer) : (WithVote(comment, viewer.Vote, change.Value), viewer with { Vote = change.Value });
        }

        var liked = change.Value != 0;
        return viewer.Liked == liked ? (comment, viewer) : (comment with { Likes = comment.Likes + (liked ? 1 : -1) }, viewer with { Liked = liked });
    }

    /// <summary>How the up and down counters move when a user's vote goes from <paramref name="previous"/> to <paramref name="next"/>.</summary>
    public static (long Up, long Down) VoteDelta(int previous, int next) =>
        ((next == 1 ? 1 : 0) - (previous == 1 ? 1 : 0), (next == -1 ? 1 : 0) - (previous == -1 ? 1 : 0));

    /// <summary>The comment after a user's vote moved from <paramref name="previous"/> to <paramref name="next"/>, scores included.</summary>
    public static Comment WithVote(Comment comment, int previous, int next)
    {
        var (up, down) = VoteDelta(previous, next);
        var upvotes = comment.Upvotes + up;
        var downvotes = comment.Downvotes + down;
        return comment with
        {
            Upvotes = upvotes,
            Downvotes = downvotes,
            Best = Scoring.Wilson(upvotes, downvotes),
            Hot = Scoring.Hot(upvotes, downvotes, comment.CreatedAt),
            Controversy = Scoring.Controversy(upvotes, downvotes),
        };
    }

    /// <summary>A new comment as stored: top level, or under its parent in the parent's tree, with no votes yet.</summary>
    public static Comment Place(NewComment comment, Comment? parent) => new()
    {
        Id = comment.Id,
        ThreadId = comment.ThreadId,
        ParentId = comment.ParentId,
        RootId = parent?.RootId ?? comment.Id,
        Depth = parent is null ? 0 : parent.Depth + 1,
        AuthorId = comment.AuthorId,
        Body = comment.Body,
        BodyHtml = comment.BodyHtml,
        Links = comment.Links,
        CreatedAt = comment.CreatedAt,
        Hot = Scoring.Hot(0, 0, comment.CreatedAt),
    };
}
