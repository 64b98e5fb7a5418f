using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Stoa.Comments.Core;

namespace Stoa.Comments.Contracts;

/// <summary>A new comment: Markdown <c>body</c> (not blank; longer than the limit is <c>body_too_long</c>), and <c>parentId</c> for a reply.</summary>
internal sealed record CreateCommentRequest(
    [property: Required, MinLength(1), MaxLength(CommentRules.MaxBodyLength), RegularExpression(@"\S")] string? Body,
    [property: Description("The comment this one replies to, in the same thread.")] Guid? ParentId);

internal sealed record EditCommentRequest([property: Required, MinLength(1), MaxLength(CommentRules.MaxBodyLength), RegularExpression(@"\S")] string? Body);

/// <summary>1 upvotes, -1 downvotes, 0 takes the caller's vote back.</summary>
internal sealed record VoteRequest([property: Required, Range(-1, 1)] int? Value);

/// <summary>
/// A comment as clients see it. A deleted comment keeps its place and counters but has no body, html or author.
/// <see cref="MyVote"/> and <see cref="Liked"/> are the caller's own, present when the request carries a user token.
/// </summary>
internal sealed record CommentResponse(
    Guid Id,
    string ThreadId,
    Guid? ParentId,
    Guid RootId,
    int Depth,
    string? AuthorId,
    string? Body,
    string? Html,
    IReadOnlyList<LinkCardSummary>? Links,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt,
    bool Deleted,
    long Upvotes,
    long Downvotes,
    long Score,
    long Likes,
    long ReplyCount,
    int? MyVote,
    bool? Liked,
    IReadOnlyList<CommentResponse>? Replies);

internal sealed record CommentListResponse(IReadOnlyList<CommentResponse> Items, string? NextCursor);

internal sealed record ThreadResponse(string ThreadId, long CommentCount, bool Locked);

internal sealed record CountsResponse(Guid Id, string ThreadId, long Upvotes, long Downvotes, long Score, long Likes, long ReplyCount, int? MyVote, bool? Liked);

/// <summary>
/// What the thread's event stream sends: <c>comment.created</c>, <c>comment.updated</c> (edited or deleted), and
/// <c>comment.counts</c> after a vote, a like, or a new reply (then the parent's counters).
/// </summary>
internal sealed record ThreadEvent(string Type, CommentResponse? Comment, CountsResponse? Counts);

internal static class CommentMapping
{
    public static CommentResponse ToResponse(this Comment c, ViewerState? viewer, IReadOnlyList<CommentResponse>? replies = null) => new(
        c.Id,
        c.ThreadId,
        c.ParentId,
        c.RootId,
        c.Depth,
        c.IsDeleted ? null : c.AuthorId,
        c.IsDeleted ? null : c.Body,
        c.IsDeleted ? null : c.BodyHtml,
        c.IsDeleted || c.Links.Count == 0 ? null : c.Links,
        c.CreatedAt,
        c.EditedAt,
        c.IsDeleted,
        c.Upvotes,
        c.Downvotes,
        c.Upvotes - c.Downvotes,
        c.Likes,
        c.ReplyCount,
        viewer?.Vote,
        viewer?.Liked,
        replies);

    public static CommentResponse ToResponse(this CommentNode node, IReadOnlyDictionary<Guid, ViewerState>? viewer, bool inline) =>
        node.Comment.ToResponse(
            viewer is null ? null : viewer.GetValueOrDefault(node.Comment.Id),
            inline ? [.. node.Replies.Select(r => r.ToResponse(viewer, inline))] : null);

    public static CountsResponse ToResponse(this CommentCounts c, bool withViewer) => new(
        c.Id, c.ThreadId, c.Upvotes, c.Downvotes, c.Upvotes - c.Downvotes, c.Likes, c.ReplyCount,
        withViewer ? c.MyVote : null, withViewer ? c.Liked : null);

    public static ThreadResponse ToResponse(this ThreadInfo t) => new(t.ThreadId, t.CommentCount, t.Locked);
}
