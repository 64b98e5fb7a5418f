namespace Stoa.Follows.Core;

/// <summary>
/// The follower and following lists, newest first, as the engine holds them (Redis sorted sets scored by follow
/// time, served from process memory through the near-cache). They mirror the store and can always be rebuilt from it.
/// </summary>
internal interface IFollowLists
{
    /// <summary>Mirrors one stored pair; a change older than what the mirror has is ignored.</summary>
    Task ApplyAsync(Guid appId, FollowEdge edge, CancellationToken cancellationToken);

    Task<FollowPage> PageAsync(Guid appId, string userId, FollowDirection direction, string? cursor, int limit, CancellationToken cancellationToken);

    Task<long> CountAsync(Guid appId, string userId, FollowDirection direction, CancellationToken cancellationToken);

    Task<bool> IsFollowingAsync(Guid appId, string followeeId, string followerId, CancellationToken cancellationToken);

    /// <summary>Restores every list of the app from the store; returns the number of pairs applied.</summary>
    Task<long> RebuildAsync(Guid appId, CancellationToken cancellationToken);
}
