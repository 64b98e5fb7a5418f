namespace Stoa.Comments.Core;

/// <summary>
/// Each write as it runs inside its transaction: read the rows it depends on, check <see cref="CommentRules"/> against
/// them, change them. Run through <see cref="ICommentStore.InTransactionAsync"/>, which may run one again from the start
/// after a serialization failure, so each decides only from what it reads here.
/// </summary>
internal static class CommentWrites
{
    public static async Task<CreatedComment> CreateAsync(ICommentTransaction tx, NewComment comment)
    {
        // A keyed create sent again finds its comment. Two attempts racing both see none; the loser's insert
        // conflicts (SQLite serializes writers; PostgreSQL reports 40001) and its retry finds the winner's row.
        if (comment.Keyed && await tx.ReadAsync(comment.Id, forUpdate: false) is { } existing)
        {
            return existing.ThreadId == comment.ThreadId && existing.ParentId == comment.ParentId
                ? new CreatedComment(existing, Replayed: true)
                : throw CommentErrors.KeyReused();
        }

        CommentRules.EnsureUnlocked(await tx.CountNewCommentAsync(comment.ThreadId, comment.CreatedAt));
        Comment? parent = null;
        if (comment.ParentId is { } parentId)
        {
            parent = await tx.ReadAsync(parentId, forUpdate: false);
            CommentRules.EnsureCanReply(parent, comment.ThreadId);
        }

        var created = CommentRules.Place(comment, parent);
        await tx.InsertAsync(created);
        if (parent is null)
        {
            return new CreatedComment(created, Replayed: false);
        }

        // The parent was read in this transaction: a concurrent change to it aborts one of the two (SERIALIZABLE, or
        // SQLite's single writer), so its counters plus this reply are the committed ones.
        await tx.CountReplyAsync(parent);
        return new CreatedComment(created, Replayed: false, CommentCounts.Of(parent with { ReplyCount = parent.ReplyCount + 1 }, default));
    }

    public static async Task<Comment> EditAsync(ICommentTransaction tx, Guid id, string userId, RenderedBody body, DateTimeOffset now, TimeSpan window)
    {
        var comment = await tx.ReadAsync(id, forUpdate: true) ?? throw CommentErrors.NotFound();
        CommentRules.EnsureCanEdit(comment, userId, now, window);
        CommentRules.EnsureUnlocked(await tx.IsThreadLockedAsync(comment.ThreadId));
        var edited = comment with { Body = body.Markdown, BodyHtml = body.Html, Links = body.Links, EditedAt = now };
        await tx.SaveBodyAsync(edited);
        return edited;
    }

    /// <summary>Soft: the row keeps its place in the tree (parent pointer, replies, counters), only the body goes.</summary>
    public static async Task<Comment> DeleteAsync(ICommentTransaction tx, Guid id, string? userId, DateTimeOffset now)
    {
        var comment = await tx.ReadAsync(id, forUpdate: true) ?? throw CommentErrors.NotFound();
        CommentRules.EnsureCanDelete(comment, userId);
        if (comment.IsDeleted)
        {
            return comment;
        }

        var deleted = comment with { Body = "", BodyHtml = "", Links = [], DeletedAt = now };
        await tx.SoftDeleteAsync(deleted);
        return deleted;
    }

    public static async Task<CommentCounts> VoteAsync(ICommentTransaction tx, Guid id, string userId, int value, DateTimeOffset now)
    {
        var comment = await tx.ReadAsync(id, forUpdate: true) ?? throw CommentErrors.NotFound();
        CommentRules.EnsureCanVote(comment, userId);
        CommentRules.EnsureUnlocked(await tx.IsThreadLockedAsync(comment.ThreadId));
        var viewer = await tx.ReadViewerAsync(id, userId);
        if (viewer.Vote == value)
        {
            return CommentCounts.Of(comment, viewer);
        }

        await tx.SetVoteAsync(comment, userId, value, now);
        var updated = CommentRules.WithVote(comment, viewer.Vote, value);
        await tx.SaveCountersAsync(updated);
        return CommentCounts.Of(updated, viewer with { Vote = value });
    }

    public static async Task<CommentCounts> LikeAsync(ICommentTransaction tx, Guid id, string userId, bool liked, DateTimeOffset now)
    {
        var comment = await tx.ReadAsync(id, forUpdate: true) ?? throw CommentErrors.NotFound();
        CommentRules.EnsureCanLike(comment);
        CommentRules.EnsureUnlocked(await tx.IsThreadLockedAsync(comment.ThreadId));
        var viewer = await tx.ReadViewerAsync(id, userId);
        if (viewer.Liked == liked)
        {
            return CommentCounts.Of(comment, viewer);
        }

        await tx.SetLikeAsync(comment, userId, liked, now);
        var updated = comment with { Likes = comment.Likes + (liked ? 1 : -1) };
        await tx.SaveLikesAsync(updated);
        return CommentCounts.Of(updated, viewer with { Liked = liked });
    }
}
