namespace Stoa.Comments.Core;

/// <summary>
/// The rules, as pure functions over rows the store read inside its transaction, so that a check and the write it
/// guards cannot be separated by a concurrent change.
/// </summary>
public static class CommentRules
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

    /// <summary>How the up and down counters move when a user's vote goes from <paramref name="previous"/> to <paramref name="next"/>.</summary>
    public static (long Up, long Down) VoteDelta(int previous, int next) =>
        ((next == 1 ? 1 : 0) - (previous == 1 ? 1 : 0), (next == -1 ? 1 : 0) - (previous == -1 ? 1 : 0));
}
