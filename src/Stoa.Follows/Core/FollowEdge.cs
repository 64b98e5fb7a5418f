namespace Stoa.Follows.Core;

/// <summary>The stored state of one (followee, follower) pair: the truth the Redis lists mirror.</summary>
internal sealed record FollowEdge(string FolloweeId, string FollowerId, bool Active, long Version, DateTimeOffset FollowedAt);

/// <summary>One entry of a follower or following list.</summary>
internal sealed record FollowEntry(string UserId, DateTimeOffset FollowedAt);

internal sealed record FollowPage(IReadOnlyList<FollowEntry> Items, string? NextCursor);

internal sealed record FollowCounts(string UserId, long Followers, long Following, bool? FollowedByMe);

internal enum FollowDirection
{
    /// <summary>Who follows the user.</summary>
    Followers,

    /// <summary>Whom the user follows.</summary>
    Following,
}
