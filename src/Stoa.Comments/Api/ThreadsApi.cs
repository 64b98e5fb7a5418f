using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Comments.Contracts;
using Stoa.Comments.Core;
using Stoa.Foundation.Auth;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Comments.Api;

/// <summary><c>/v1/threads</c>: a thread's summary, its listings, new comments, locking and the live stream.</summary>
internal static class ThreadsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var threads = endpoints.MapGroup("/v1/threads").WithTags("comments").RequireApp().RateLimit("reads")
            .PathId("threadId", RequestValidation.MaxThreadIdLength);
        threads.MapGet("/{threadId}", GetThreadAsync)
            .WithName("comments_getThread").WithSummary("A thread's summary: comment count and whether it is locked");
        threads.MapGet("/{threadId}/comments", ListAsync)
            .WithName("comments_listComments").WithSummary("List a thread's comments (or a comment's replies), sorted, a page at a time");
        threads.MapPost("/{threadId}/comments", CreateAsync).RequireUser().RateLimit("writes")
            .WithName("comments_createComment").WithSummary("Post a comment or a reply; an Idempotency-Key makes a resend safe")
            .ProducesErrors(400, CommentErrors.InvalidIdempotencyKey)
            .ProducesErrors(409, CommentErrors.ThreadLocked, CommentErrors.IdempotencyKeyReused, CommentErrors.CommentDeleted)
            .ProducesErrors(422, CommentErrors.ParentNotFound, CommentErrors.BodyTooLong);
        threads.MapPut("/{threadId}/lock", (string threadId, Caller caller, CommentService service, CancellationToken ct) =>
                SetLockedAsync(threadId, true, caller, service, ct)).RequireServer().RateLimit("writes")
            .WithName("comments_lockThread").WithSummary("Lock a thread: no new comments, edits, votes or likes");
        threads.MapDelete("/{threadId}/lock", (string threadId, Caller caller, CommentService service, CancellationToken ct) =>
                SetLockedAsync(threadId, false, caller, service, ct)).RequireServer().RateLimit("writes")
            .WithName("comments_unlockThread").WithSummary("Unlock a thread");
        threads.MapGet("/{threadId}/events", ThreadEventStream.StreamAsync)
            .AllowQueryCredentials(AuthLevel.App).DisableRateLimit()
            .WithName("comments_streamThreadEvents").WithSummary("The thread's live events (Server-Sent Events)")
            .ProducesEventStream("Server-Sent Events, each with an `id` (send it back as `Last-Event-ID` to resume): `comment.created`, "
                + "`comment.updated` (edited or deleted) and `comment.counts`, whose data is a `ThreadEvent`; `reload` when the missed "
                + "events are no longer kept (list the thread again); comment lines as heartbeats. The stream ends when the node drains.",
                typeof(ThreadEvent));
    }

    private static async Task<Ok<ThreadResponse>> GetThreadAsync(string threadId, Caller caller, CommentService service, CancellationToken ct)
    {
        RequestValidation.ThrowIfInvalidThreadId(threadId);
        return TypedResults.Ok((await service.GetThreadAsync(caller.AppId, threadId, ct)).ToResponse());
    }

    private static async Task<Ok<CommentListResponse>> ListAsync(string threadId,
        [AllowedValues("best", "new", "old", "top", "replies", "hot", "controversial"), Description("The order; best when omitted.")] string? sort,
        [RegularExpression(Uuid), Description("List this comment's replies instead of the thread's top-level comments.")] string? parentId,
        [Description("The `next` of the previous page.")] string? cursor,
        [Range(1, 100), Description("Comments per page; 25 when omitted.")] int? limit,
        [Range(0, 1000), Description("Replies to show under each comment (at most Stoa:Comments:MaxInlineReplies, 20 by default); 0 when omitted.")] int? replies,
        [Range(0, 100), Description("Levels of replies to show (at most Stoa:Comments:MaxDisplayDepth, 8 by default); 1 when replies are asked for.")] int? depth,
        Caller caller, CommentService service, CancellationToken ct)
    {
        var query = RequestValidation.ListQuery(threadId, sort, parentId, cursor, limit, replies, depth, service.Options);
        var user = caller.UserId;
        var (page, viewer) = await service.ListAsync(caller.AppId, query, user, ct);
        var inline = query.Replies > 0 && query.Depth > 0;
        return TypedResults.Ok(new CommentListResponse(
            [.. page.Items.Select(n => n.ToResponse(user is null ? null : viewer, inline))],
            page.Next is null ? null : CursorCodec.Encode(page.Next)));
    }

    /// <summary>
    /// With an <c>Idempotency-Key</c> header, sending the same create again (after a lost answer) returns the comment the
    /// first made, marked <c>Idempotent-Replayed: true</c>, instead of posting it twice.
    /// </summary>
    private static async Task<Created<CommentResponse>> CreateAsync(string threadId, CreateCommentRequest request, Caller caller,
        CommentService service, HttpContext context, CancellationToken ct)
    {
        RequestValidation.ThrowIfInvalidThreadId(threadId);
        var body = RequestValidation.Body(request.Body);
        var key = context.Request.Headers[IdempotencyKeyHeader];
        if (key.Count > 1)
        {
            throw CommentErrors.BadIdempotencyKey();
        }

        var (comment, replayed, _) = await service.CreateAsync(caller.AppId, caller.UserId!, threadId, body, request.ParentId, key.Count == 1 ? key[0] : null, ct);
        if (replayed)
        {
            context.Response.Headers[IdempotentReplayedHeader] = "true";
        }

        return TypedResults.Created($"/v1/comments/{comment.Id}", comment.ToResponse(new ViewerState(0, false)));
    }

    private const string Uuid = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string IdempotentReplayedHeader = "Idempotent-Replayed";

    private static async Task<Ok<ThreadResponse>> SetLockedAsync(string threadId, bool locked, Caller caller, CommentService service, CancellationToken ct)
    {
        RequestValidation.ThrowIfInvalidThreadId(threadId);
        return TypedResults.Ok((await service.SetLockedAsync(caller.AppId, threadId, locked, ct)).ToResponse());
    }
}
