namespace Stoa.Follows.Core;

/// <summary>The stored state of one (followee, follower) pair: the truth the Redis lists mirror.</summary>
public sealed record FollowEdge(string FolloweeId, string FollowerId, bool Active, long Version, DateTimeOffset FollowedAt);

/// <summary>One entry of a follower or following list.</summary>
public sealed record FollowEntry(string UserId, DateTimeOffset FollowedAt);

public sealed record FollowPage(IReadOnlyList<FollowEntry> Items, string? NextCursor);

public sealed record FollowCounts(string UserId, long Followers, long Following, bool? FollowedByMe);

public enum FollowDirection
{
    /// <summary>Who follows the user.</summary>
    Followers,

    /// <summary>Whom the user follows.</summary>
    Following,
}
