namespace Stoa.Comments.Core;

/// <summary>
/// Durable comments, votes and likes of every app. Every call is scoped to one app id; nothing is visible across apps.
/// The store only stores: the rules live in Core (<see cref="CommentService"/>, <see cref="CommentRules"/>), which drives
/// each write as one transaction through <see cref="InTransactionAsync"/> and checks the rules against the rows it reads
/// there, so that a check and the write it guards cannot be separated by a concurrent change.
/// </summary>
internal interface ICommentStore
{
    Task<ThreadInfo> GetThreadAsync(Guid appId, string threadId, CancellationToken cancellationToken);

    Task<Comment?> GetAsync(Guid appId, Guid id, CancellationToken cancellationToken);

    /// <summary>A comment with <paramref name="viewerId"/>'s vote and like on it, in one statement.</summary>
    Task<ViewedComment?> GetAsync(Guid appId, Guid id, string viewerId, CancellationToken cancellationToken);

    /// <summary>
    /// One keyset page with replies inlined, in a number of statements that does not depend on its size: one for the
    /// page and one per level of replies, on one connection. With a <paramref name="viewerId"/>, the same statements also
    /// read that user's vote and like on every comment they return.
    /// </summary>
    Task<ViewedPage> ListAsync(Guid appId, ListQuery query, string? viewerId, CancellationToken cancellationToken);

    /// <summary>The user's votes and likes on the given comments, in one statement.</summary>
    Task<IReadOnlyDictionary<Guid, ViewerState>> GetViewerStateAsync(Guid appId, string userId, IReadOnlyCollection<Guid> ids,
        CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> as one serializable transaction on the app's data and commits it. A serialization
    /// failure runs the work again from the start, so it must decide only from what it reads through the transaction
    /// and change nothing outside it.
    /// </summary>
    Task<T> InTransactionAsync<T>(Guid appId, Func<ICommentTransaction, Task<T>> work, CancellationToken cancellationToken);
}

/// <summary>What a write transaction can read and change: rows and counters, no rules.</summary>
internal interface ICommentTransaction
{
    /// <summary>A comment; with <paramref name="forUpdate"/>, locked for the rest of the transaction.</summary>
    Task<Comment?> ReadAsync(Guid id, bool forUpdate);

    /// <summary>The given users' votes and likes on a comment, in one statement (users with neither are absent).</summary>
    Task<IReadOnlyDictionary<string, ViewerState>> ReadViewersAsync(Guid commentId, IReadOnlyCollection<string> userIds);

    Task<bool> IsThreadLockedAsync(string threadId);

    /// <summary>Counts a new comment in its thread (creating the thread) and says whether the thread is locked.</summary>
    Task<bool> CountNewCommentAsync(string threadId, DateTimeOffset now);

    Task InsertAsync(Comment comment);

    /// <summary>One more reply under <paramref name="parent"/>.</summary>
    Task CountReplyAsync(Comment parent);

    /// <summary>Stores the comment's body, html, links and edit time.</summary>
    Task SaveBodyAsync(Comment comment);

    /// <summary>Removes the body of a comment marked deleted, and uncounts it in its thread.</summary>
    Task SoftDeleteAsync(Comment deleted);

    /// <summary>Sets each user's vote on the comment (0 removes it), in a number of statements that does not depend on the count.</summary>
    Task SetVotesAsync(Comment comment, IReadOnlyCollection<(string UserId, int Value)> votes, DateTimeOffset now);

    /// <summary>Sets each user's like on the comment, in a number of statements that does not depend on the count.</summary>
    Task SetLikesAsync(Comment comment, IReadOnlyCollection<(string UserId, bool Liked)> likes, DateTimeOffset now);

    /// <summary>Stores the comment's vote and like counters and the sort scores derived from them.</summary>
    Task SaveCountersAsync(Comment comment);

    Task<ThreadInfo> SetThreadLockedAsync(string threadId, bool locked, DateTimeOffset now);
}

/// <summary>A body as stored: the Markdown source, its safe HTML and its link cards.</summary>
internal sealed record RenderedBody(string Markdown, string Html, IReadOnlyList<LinkCardSummary> Links);
