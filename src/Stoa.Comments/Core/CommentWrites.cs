using Stoa.Foundation.Errors;

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

    /// <summary>
    /// Applies a batch of votes and likes on one comment (<see cref="CounterQueue"/>) as if each were its own transaction,
    /// run in the batch's order: each is checked against the comment and its user's state as the changes before it left
    /// them, and answered with the counts right after it. Then it writes what the batch changed in all: each user's final
    /// vote and like rows, and the counters and scores once.
    /// </summary>
    public static async Task<CounterBatch> ApplyCountersAsync(ICommentTransaction tx, Guid id, IReadOnlyList<CounterChange> changes, DateTimeOffset now)
    {
        // Locked first: the other statements then cannot be overtaken by another node's batch on this comment.
        var read = await tx.ReadAsync(id, forUpdate: true) ?? throw CommentErrors.NotFound();
        var locked = await tx.IsThreadLockedAsync(read.ThreadId);
        var before = await tx.ReadViewersAsync(id, [.. changes.Select(c => c.UserId).Distinct(StringComparer.Ordinal)]);

        var comment = read;
        var viewers = new Dictionary<string, ViewerState>(before, StringComparer.Ordinal);
        var outcomes = new CounterOutcome[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            try
            {
                CommentRules.EnsureCanApply(comment, change, locked);
            }
            catch (ApiException refusal)
            {
                outcomes[i] = CounterOutcome.Refused(refusal);
                continue;
            }

            (comment, var viewer) = CommentRules.Apply(comment, viewers.GetValueOrDefault(change.UserId), change);
            viewers[change.UserId] = viewer;
            outcomes[i] = CounterOutcome.Applied(CommentCounts.Of(comment, viewer));
        }

        var votes = new List<(string UserId, int Value)>();
        var likes = new List<(string UserId, bool Liked)>();
        foreach (var (userId, after) in viewers)
        {
            var was = before.GetValueOrDefault(userId);
            if (after.Vote != was.Vote)
            {
                votes.Add((userId, after.Vote));
            }

            if (after.Liked != was.Liked)
            {
                likes.Add((userId, after.Liked));
            }
        }

        if (votes.Count > 0)
        {
            await tx.SetVotesAsync(read, votes, now);
        }

        if (likes.Count > 0)
        {
            await tx.SetLikesAsync(read, likes, now);
        }

        if (comment == read)
        {
            return new CounterBatch(outcomes, Changed: null);
        }

        await tx.SaveCountersAsync(comment);
        return new CounterBatch(outcomes, CommentCounts.Of(comment, default));
    }
}
