using Stoa.Foundation.Errors;

namespace Stoa.Follows.Core;

/// <summary>
/// Follow and unfollow: the store commits the truth first, then the engine mirror is updated with the pair's
/// version. A mirror failure never loses the follow (it is committed, and the call is idempotent to retry); an
/// engine that does not answer is Foundation's 503 <c>engine_unavailable</c>, so the client retries, and the lists
/// heal on the retry or on a rebuild.
/// </summary>
internal sealed class FollowService(IFollowStore store, IFollowLists lists, TimeProvider time)
{
    public const int MaxUserIdLength = 256;

    public async Task<FollowCounts> FollowAsync(Guid appId, string followeeId, string followerId, CancellationToken cancellationToken)
    {
        ValidateUserId(followeeId, "userId");
        if (followeeId == followerId)
        {
            throw new ApiException(400, FollowErrors.CannotFollowSelf, "Users cannot follow themselves.");
        }

        var edge = await store.FollowAsync(appId, followeeId, followerId, time.GetUtcNow(), cancellationToken);
        await lists.ApplyAsync(appId, edge, cancellationToken);
        return await CountsAsync(appId, followeeId, followerId, cancellationToken);
    }

    public async Task<FollowCounts> UnfollowAsync(Guid appId, string followeeId, string followerId, CancellationToken cancellationToken)
    {
        ValidateUserId(followeeId, "userId");
        var edge = await store.UnfollowAsync(appId, followeeId, followerId, cancellationToken);
        if (edge is not null)
        {
            await lists.ApplyAsync(appId, edge, cancellationToken);
        }

        return await CountsAsync(appId, followeeId, followerId, cancellationToken);
    }

    public async Task<FollowCounts> CountsAsync(Guid appId, string userId, string? viewerId, CancellationToken cancellationToken)
    {
        ValidateUserId(userId, "userId");
        var followers = lists.CountAsync(appId, userId, FollowDirection.Followers, cancellationToken);
        var following = lists.CountAsync(appId, userId, FollowDirection.Following, cancellationToken);
        bool? followedByMe = viewerId is null || viewerId == userId ? null : await lists.IsFollowingAsync(appId, userId, viewerId, cancellationToken);
        return new FollowCounts(userId, await followers, await following, followedByMe);
    }

    public Task<FollowPage> PageAsync(Guid appId, string userId, FollowDirection direction, string? cursor, int limit, CancellationToken cancellationToken)
    {
        ValidateUserId(userId, "userId");
        new Validation().Range(limit, "limit", 1, 100).ThrowIfInvalid();
        return lists.PageAsync(appId, userId, direction, cursor, limit, cancellationToken);
    }

    public static void ValidateUserId(string userId, string field) =>
        new Validation().PathId(userId, field, MaxUserIdLength).ThrowIfInvalid();
}
