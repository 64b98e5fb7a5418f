namespace Stoa.Comments.Core;

/// <summary>
/// Announces changes to a thread's live listeners (SSE), on every node. Best effort and at-most-once, like the engine's
/// pub/sub under it: a listener that misses one refetches the listing.
/// </summary>
internal interface ICommentEvents
{
    ValueTask CommentCreatedAsync(Guid appId, Comment comment, CancellationToken cancellationToken);

    ValueTask CommentChangedAsync(Guid appId, Comment comment, CancellationToken cancellationToken);

    ValueTask CountsChangedAsync(Guid appId, CommentCounts counts, CancellationToken cancellationToken);
}
