using Stoa.Comments.Core;

namespace Stoa.Comments.Storage;

/// <summary>A transaction that notes which threads its writes touched, for <see cref="CachingCommentStore"/> to invalidate.</summary>
internal sealed class WriteNotes(ICommentTransaction inner) : ICommentTransaction
{
    public HashSet<string> Threads { get; } = new(StringComparer.Ordinal);

    public Task<Comment?> ReadAsync(Guid id, bool forUpdate) => inner.ReadAsync(id, forUpdate);

    public Task<ViewerState> ReadViewerAsync(Guid commentId, string userId) => inner.ReadViewerAsync(commentId, userId);

    public Task<bool> IsThreadLockedAsync(string threadId) => inner.IsThreadLockedAsync(threadId);

    public Task<bool> CountNewCommentAsync(string threadId, DateTimeOffset now) => Noted(threadId, inner.CountNewCommentAsync(threadId, now));

    public Task InsertAsync(Comment comment) => Noted(comment.ThreadId, inner.InsertAsync(comment));

    public Task CountReplyAsync(Comment parent) => Noted(parent.ThreadId, inner.CountReplyAsync(parent));

    public Task SaveBodyAsync(Comment comment) => Noted(comment.ThreadId, inner.SaveBodyAsync(comment));

    public Task SoftDeleteAsync(Comment deleted) => Noted(deleted.ThreadId, inner.SoftDeleteAsync(deleted));

    public Task SetVoteAsync(Comment comment, string userId, int value, DateTimeOffset now) =>
        Noted(comment.ThreadId, inner.SetVoteAsync(comment, userId, value, now));

    public Task SaveCountersAsync(Comment comment) => Noted(comment.ThreadId, inner.SaveCountersAsync(comment));

    public Task SetLikeAsync(Comment comment, string userId, bool liked, DateTimeOffset now) =>
        Noted(comment.ThreadId, inner.SetLikeAsync(comment, userId, liked, now));

    public Task SaveLikesAsync(Comment comment) => Noted(comment.ThreadId, inner.SaveLikesAsync(comment));

    public Task<ThreadInfo> SetThreadLockedAsync(string threadId, bool locked, DateTimeOffset now) =>
        Noted(threadId, inner.SetThreadLockedAsync(threadId, locked, now));

    private T Noted<T>(string threadId, T write)
    {
        Threads.Add(threadId);
        return write;
    }
}
