using Stoa.Foundation.Errors;

namespace Stoa.Comments.Core;

/// <summary>The comments module's error codes: a public contract, clients switch on them.</summary>
internal static class CommentErrors
{
    public const string CommentNotFound = "comment_not_found";
    public const string ParentNotFound = "parent_not_found";
    public const string ThreadLocked = "thread_locked";
    public const string EditWindowClosed = "edit_window_closed";
    public const string CannotVoteOwnComment = "cannot_vote_own_comment";
    public const string NotCommentAuthor = "not_comment_author";
    public const string CommentDeleted = "comment_deleted";
    public const string BodyTooLong = "body_too_long";
    public const string InvalidIdempotencyKey = "invalid_idempotency_key";
    public const string IdempotencyKeyReused = "idempotency_key_reused";

    public static ApiException NotFound() => ApiException.NotFound(CommentNotFound, "No comment has that id.");

    public static ApiException NoParent() =>
        new(422, ParentNotFound, "The parent comment does not exist in this thread.");

    public static ApiException Locked() =>
        ApiException.Conflict(ThreadLocked, "The thread is locked: it takes no new comments, edits, votes or likes.");

    public static ApiException WindowClosed(TimeSpan window) =>
        ApiException.Conflict(EditWindowClosed, $"Comments can be edited for {window.TotalMinutes:0.##} minutes after posting.");

    public static ApiException OwnComment() => ApiException.Forbidden(CannotVoteOwnComment, "You cannot vote on your own comment.");

    public static ApiException NotAuthor() => ApiException.Forbidden(NotCommentAuthor, "Only the comment's author may do this.");

    public static ApiException Deleted() => ApiException.Conflict(CommentDeleted, "The comment was deleted.");

    public static ApiException BadIdempotencyKey() =>
        new(400, InvalidIdempotencyKey, $"Idempotency-Key must be 1 to {CommentIds.MaxKeyLength} visible ASCII characters.");

    public static ApiException KeyReused() =>
        ApiException.Conflict(IdempotencyKeyReused, "This Idempotency-Key already created a comment in another thread or under another parent.");

    public static ApiException TooLong(int max) => new(422, BodyTooLong, $"The body is longer than {max} characters.");
}
