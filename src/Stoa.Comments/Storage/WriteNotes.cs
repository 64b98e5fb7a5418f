using Stoa.Comments.Core;

namespace Stoa.Comments.Storage;

/// <summary>A transaction that notes which threads its writes touched, for <see cref="CachingCommentStore"/> to invalidate.</summary>
internal sealed class WriteNotes(ICommentTransaction inner) : ICommentTransaction
{
    public HashSet<string> Threads { get; } = new(StringComparer.Ordinal);

    public Task<Comment?> ReadAsync(Guid id, bool forUpdate) => inner.ReadAsync(id, forUpdate);

    public Task<IReadOnlyDictionary<string, ViewerState>> ReadViewersAsync(Guid commentId, IReadOnlyCollection<string> userIds) =>
        inner.ReadViewersAsync(commentId, userIds);

    public Task<bool> IsThreadLockedAsync(string threadId) => inner.IsThreadLockedAsync(threadId);

    public Task<bool> CountNewCommentAsync(string threadId, DateTimeOffset now) => Noted(threadId, inner.CountNewCommentAsync(threadId, now));

    public Task InsertAsync(Comment comment) => Noted(comment.ThreadId, inner.InsertAsync(comment));

    public Task CountReplyAsync(Comment parent) => Noted(parent.ThreadId, inner.CountReplyAsync(parent));

    public Task SaveBodyAsync(Comment comment) => Noted(comment.ThreadId, inner.SaveBodyAsync(comment));

    public Task SoftDeleteAsync(Comment deleted) => Noted(deleted.ThreadId, inner.SoftDeleteAsync(deleted));

    public Task SetVotesAsync(Comment comment, IReadOnlyCollection<(string UserId, int Value)> votes, DateTimeOffset now) =>
        Noted(comment.ThreadId, inner.SetVotesAsync(comment, votes, now));

    public Task SetLikesAsync(Comment comment, IReadOnlyCollection<(string UserId, bool Liked)> likes, DateTimeOffset now) =>
        Noted(comment.ThreadId, inner.SetLikesAsync(comment, likes, now));

    public Task SaveCountersAsync(Comment comment) => Noted(comment.ThreadId, inner.SaveCountersAsync(comment));

    public Task<ThreadInfo> SetThreadLockedAsync(string threadId, bool locked, DateTimeOffset now) =>
        Noted(threadId, inner.SetThreadLockedAsync(threadId, locked, now));

    private T Noted<T>(string threadId, T write)
    {
        Threads.Add(threadId);
        return write;
    }
}
