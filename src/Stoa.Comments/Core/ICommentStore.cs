namespace Stoa.Comments.Core;

/// <summary>
/// Durable comments, votes and likes of every app. Every call is scoped to one app id; nothing is visible across apps.
/// Writes are single transactions in which the vote (or like) row and the counters change together, and the rules in
/// <see cref="CommentRules"/> are checked against the rows read inside that transaction.
/// </summary>
public interface ICommentStore
{
    Task<ThreadInfo> GetThreadAsync(Guid appId, string threadId, CancellationToken cancellationToken);

    Task<ThreadInfo> SetLockedAsync(Guid appId, string threadId, bool locked, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Comment?> GetAsync(Guid appId, Guid id, CancellationToken cancellationToken);

    /// <summary>One keyset page with replies inlined, in a number of statements that does not depend on its size.</summary>
    Task<CommentPage> ListAsync(Guid appId, ListQuery query, CancellationToken cancellationToken);

    /// <summary>The user's votes and likes on the given comments, in one statement.</summary>
    Task<IReadOnlyDictionary<Guid, ViewerState>> GetViewerStateAsync(Guid appId, string userId, IReadOnlyCollection<Guid> ids,
        CancellationToken cancellationToken);

    Task<CreatedComment> CreateAsync(Guid appId, NewComment comment, CancellationToken cancellationToken);

    Task<Comment> EditAsync(Guid appId, Guid id, string userId, RenderedBody body, DateTimeOffset now, TimeSpan window,
        CancellationToken cancellationToken);

    /// <summary>Soft delete. <paramref name="userId"/> null means the app's backend (moderation): any comment.</summary>
    Task<Comment> DeleteAsync(Guid appId, Guid id, string? userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sets the user's vote to -1, 0 (retract) or 1.</summary>
    Task<CommentCounts> VoteAsync(Guid appId, Guid id, string userId, int value, DateTimeOffset now, CancellationToken cancellationToken);

    Task<CommentCounts> SetLikeAsync(Guid appId, Guid id, string userId, bool liked, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>A body as stored: the Markdown source, its safe HTML and its link cards.</summary>
public sealed record RenderedBody(string Markdown, string Html, IReadOnlyList<LinkCardSummary> Links);
