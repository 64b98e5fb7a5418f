using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Comments.Contracts;
using Stoa.Comments.Core;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Comments.Api;

/// <summary><c>/v1/comments/{id}</c>: read, edit, delete, vote and like one comment.</summary>
internal static class CommentsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var comments = endpoints.MapGroup("/v1/comments").WithTags("comments").RequireApp()
            .ProducesErrors(404, CommentErrors.CommentNotFound, FoundationErrors.NotFound);
        comments.MapGet("/{id:guid}", GetAsync).RateLimit("reads")
            .WithName("comments_getComment").WithSummary("Read one comment, with the caller's vote and like when a user token is sent");
        comments.MapPatch("/{id:guid}", EditAsync).RequireUser().RateLimit("writes")
            .WithName("comments_editComment").WithSummary("Edit one's own comment within the edit window")
            .ProducesErrors(403, CommentErrors.NotCommentAuthor)
            .ProducesErrors(409, CommentErrors.CommentDeleted, CommentErrors.EditWindowClosed, CommentErrors.ThreadLocked)
            .ProducesErrors(422, CommentErrors.BodyTooLong);
        comments.MapDelete("/{id:guid}", DeleteAsync).RequireUser().RateLimit("writes")
            .WithName("comments_deleteComment").WithSummary("Delete a comment (its author, or any with the server token)")
            .ProducesErrors(403, CommentErrors.NotCommentAuthor);
        comments.MapPut("/{id:guid}/vote", VoteAsync).RequireUser().RateLimit("writes")
            .WithName("comments_voteComment").WithSummary("Upvote (1), downvote (-1) or clear (0) the caller's vote")
            .ProducesErrors(403, CommentErrors.CannotVoteOwnComment)
            .ProducesErrors(409, CommentErrors.CommentDeleted, CommentErrors.ThreadLocked);
        comments.MapPut("/{id:guid}/like", (Guid id, Caller caller, CommentService service, CancellationToken ct) =>
                LikeAsync(id, true, caller, service, ct)).RequireUser().RateLimit("writes")
            .WithName("comments_likeComment").WithSummary("Like a comment (idempotent)")
            .ProducesErrors(409, CommentErrors.CommentDeleted, CommentErrors.ThreadLocked);
        comments.MapDelete("/{id:guid}/like", (Guid id, Caller caller, CommentService service, CancellationToken ct) =>
                LikeAsync(id, false, caller, service, ct)).RequireUser().RateLimit("writes")
            .WithName("comments_unlikeComment").WithSummary("Take a like back (idempotent)")
            .ProducesErrors(409, CommentErrors.CommentDeleted, CommentErrors.ThreadLocked);
    }

    private static async Task<Ok<CommentResponse>> GetAsync(Guid id, Caller caller, CommentService service, CancellationToken ct)
    {
        var (comment, viewer) = await service.GetAsync(caller.AppId, id, caller.UserId, ct);
        return TypedResults.Ok(comment.ToResponse(caller.UserId is null ? null : viewer));
    }

    private static async Task<Ok<CommentResponse>> EditAsync(Guid id, EditCommentRequest request, Caller caller, CommentService service, CancellationToken ct)
    {
        var edited = await service.EditAsync(caller.AppId, id, caller.UserId!, RequestValidation.Body(request.Body), ct);
        return TypedResults.Ok(edited.ToResponse(viewer: null));
    }

    /// <summary>Authors delete their own comments; a server token (the app's backend) deletes any.</summary>
    private static async Task<NoContent> DeleteAsync(Guid id, Caller caller, CommentService service, CancellationToken ct)
    {
        await service.DeleteAsync(caller.AppId, id, caller.IsServer ? null : caller.UserId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<CountsResponse>> VoteAsync(Guid id, VoteRequest request, Caller caller, CommentService service, CancellationToken ct)
    {
        var value = RequestValidation.Vote(request.Value);
        return TypedResults.Ok((await service.VoteAsync(caller.AppId, id, caller.UserId!, value, ct)).ToResponse(withViewer: true));
    }

    private static async Task<Ok<CountsResponse>> LikeAsync(Guid id, bool liked, Caller caller, CommentService service, CancellationToken ct) =>
        TypedResults.Ok((await service.SetLikeAsync(caller.AppId, id, caller.UserId!, liked, ct)).ToResponse(withViewer: true));
}
