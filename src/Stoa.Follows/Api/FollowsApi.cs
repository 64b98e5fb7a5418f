using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Follows.Core;
using Stoa.Foundation.Auth;
using Stoa.Foundation.OpenApi;
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
        var users = endpoints.MapGroup("/v1/users").WithTags("follows").RequireApp().PathId("userId", FollowService.MaxUserIdLength);
        users.MapGet("/{userId}", GetCountsAsync)
            .WithName("follows_getCounts").WithSummary("A user's follower and following counts, and whether the caller follows them");
        users.MapGet("/{userId}/followers", (string userId, [Description(CursorText)] string? cursor, [Range(1, 100), Description(LimitText)] int? limit,
                Caller caller, FollowService follows, CancellationToken ct) =>
            ListAsync(userId, FollowDirection.Followers, cursor, limit, caller, follows, ct))
            .WithName("follows_listFollowers").WithSummary("Who follows a user, newest first")
            .ProducesErrors(400, FollowErrors.InvalidCursor);
        users.MapGet("/{userId}/following", (string userId, [Description(CursorText)] string? cursor, [Range(1, 100), Description(LimitText)] int? limit,
                Caller caller, FollowService follows, CancellationToken ct) =>
            ListAsync(userId, FollowDirection.Following, cursor, limit, caller, follows, ct))
            .WithName("follows_listFollowing").WithSummary("Whom a user follows, newest first")
            .ProducesErrors(400, FollowErrors.InvalidCursor);
        users.MapPut("/{userId}/followers/me", FollowAsync).RequireUser().RateLimit("writes")
            .WithName("follows_follow").WithSummary("The caller follows the user (idempotent)")
            .ProducesErrors(400, FollowErrors.CannotFollowSelf);
        users.MapDelete("/{userId}/followers/me", UnfollowAsync).RequireUser().RateLimit("writes")
            .WithName("follows_unfollow").WithSummary("The caller stops following the user (idempotent)");
    }

    private const string CursorText = "The `nextCursor` of the previous page.";
    private const string LimitText = "Users per page; 20 when omitted.";

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
