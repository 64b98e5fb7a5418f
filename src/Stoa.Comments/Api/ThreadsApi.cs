using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Comments.Contracts;
using Stoa.Comments.Core;
using Stoa.Foundation.Auth;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Comments.Api;

/// <summary><c>/v1/threads</c>: a thread's summary, its listings, new comments, locking and the live stream.</summary>
internal static class ThreadsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var threads = endpoints.MapGroup("/v1/threads").WithTags("comments").RequireApp().RateLimit("reads");
        threads.MapGet("/{threadId}", GetThreadAsync);
        threads.MapGet("/{threadId}/comments", ListAsync);
        threads.MapPost("/{threadId}/comments", CreateAsync).RequireUser().RateLimit("writes");
        threads.MapPut("/{threadId}/lock", (string threadId, Caller caller, CommentService service, CancellationToken ct) =>
            SetLockedAsync(threadId, true, caller, service, ct)).RequireServer().RateLimit("writes");
        threads.MapDelete("/{threadId}/lock", (string threadId, Caller caller, CommentService service, CancellationToken ct) =>
            SetLockedAsync(threadId, false, caller, service, ct)).RequireServer().RateLimit("writes");
        threads.MapGet("/{threadId}/events", ThreadEventStream.StreamAsync)
            .AllowQueryCredentials(AuthLevel.App).DisableRateLimit();
    }

    private static async Task<Ok<ThreadResponse>> GetThreadAsync(string threadId, Caller caller, CommentService service, CancellationToken ct)
    {
        RequestValidation.ThrowIfInvalidThreadId(threadId);
        return TypedResults.Ok((await service.GetThreadAsync(caller.AppId, threadId, ct)).ToResponse());
    }

    private static async Task<Ok<CommentListResponse>> ListAsync(string threadId, string? sort, string? parentId, string? cursor, string? limit,
        string? replies, string? depth, Caller caller, CommentService service, CancellationToken ct)
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

    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string IdempotentReplayedHeader = "Idempotent-Replayed";

    private static async Task<Ok<ThreadResponse>> SetLockedAsync(string threadId, bool locked, Caller caller, CommentService service, CancellationToken ct)
    {
        RequestValidation.ThrowIfInvalidThreadId(threadId);
        return TypedResults.Ok((await service.SetLockedAsync(caller.AppId, threadId, locked, ct)).ToResponse());
    }
}
