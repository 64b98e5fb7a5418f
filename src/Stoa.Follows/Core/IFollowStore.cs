namespace Stoa.Follows.Core;

/// <summary>The durable truth of who follows whom.</summary>
internal interface IFollowStore
{
    /// <summary>Marks the pair followed (idempotent) and returns its state after the change.</summary>
    Task<FollowEdge> FollowAsync(Guid appId, string followeeId, string followerId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks the pair unfollowed (idempotent); null if the pair was never followed.</summary>
    Task<FollowEdge?> UnfollowAsync(Guid appId, string followeeId, string followerId, CancellationToken cancellationToken);

    /// <summary>Every pair, active or not, on one side of a user (to rebuild that user's list).</summary>
    Task<IReadOnlyList<FollowEdge>> EdgesAsync(Guid appId, string userId, FollowDirection direction, CancellationToken cancellationToken);

    /// <summary>Every pair of an app, in primary-key order after <paramref name="after"/>, for full rebuilds.</summary>
    Task<IReadOnlyList<FollowEdge>> AllEdgesAsync(Guid appId, (string FolloweeId, string FollowerId)? after, int limit, CancellationToken cancellationToken);

    /// <summary>Apps that have follows (for a rebuild of every app).</summary>
    Task<IReadOnlyList<Guid>> AppsAsync(CancellationToken cancellationToken);

    Task<long> CountAsync(Guid appId, string userId, FollowDirection direction, CancellationToken cancellationToken);
}
