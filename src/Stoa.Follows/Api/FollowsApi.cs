using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Follows.Core;
using Stoa.Foundation.Auth;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Follows.Api;

/// <summary>
/// <c>/v1/users/{userId}</c>: counts; <c>…/followers</c> and <c>…/following</c>: lists, newest first, cursor-paged;
/// <c>PUT|DELETE …/followers/me</c>: the calling user follows or unfollows (both idempotent).
/// </summary>
internal static class FollowsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var users = endpoints.MapGroup("/v1/users").WithTags("follows").RequireApp();
        users.MapGet("/{userId}", GetCountsAsync);
        users.MapGet("/{userId}/followers", (string userId, string? cursor, int? limit, Caller caller, FollowService follows, CancellationToken ct) =>
            ListAsync(userId, FollowDirection.Followers, cursor, limit, caller, follows, ct));
        users.MapGet("/{userId}/following", (string userId, string? cursor, int? limit, Caller caller, FollowService follows, CancellationToken ct) =>
            ListAsync(userId, FollowDirection.Following, cursor, limit, caller, follows, ct));
        users.MapPut("/{userId}/followers/me", FollowAsync).RequireUser().RateLimit("writes");
        users.MapDelete("/{userId}/followers/me", UnfollowAsync).RequireUser().RateLimit("writes");
    }

    private static async Task<Ok<FollowCounts>> GetCountsAsync(string userId, Caller caller, FollowService follows, CancellationToken ct) =>
        TypedResults.Ok(await follows.CountsAsync(caller.AppId, userId, caller.UserId, ct));

    private static async Task<Ok<FollowListResponse>> ListAsync(string userId, FollowDirection direction, string? cursor, int? limit,
        Caller caller, FollowService follows, CancellationToken ct)
    {
        var page = await follows.PageAsync(caller.AppId, userId, direction, cursor, limit ?? 20, ct);
        return TypedResults.Ok(new FollowListResponse(page.Items, page.NextCursor));
    }

    private static async Task<Ok<FollowCounts>> FollowAsync(string userId, Caller caller, FollowService follows, CancellationToken ct) =>
        TypedResults.Ok(await follows.FollowAsync(caller.AppId, userId, caller.UserId!, ct));

    private static async Task<Ok<FollowCounts>> UnfollowAsync(string userId, Caller caller, FollowService follows, CancellationToken ct) =>
        TypedResults.Ok(await follows.UnfollowAsync(caller.AppId, userId, caller.UserId!, ct));
}
