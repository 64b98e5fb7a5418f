using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Stoa.Follows.Core;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Errors;

namespace Stoa.Follows.Storage;

/// <summary>
/// Follower and following lists as engine sorted sets scored by follow time (unix ms), read through the near-cache
/// so that hot lists are answered from process memory and dropped on every node as soon as the set changes.
/// A per-user "built" marker tells an empty list from a lost one: without it the list is rebuilt from the store.
/// </summary>
internal sealed class EngineFollowLists(IEngine engine, IFollowStore store) : IFollowLists
{
    private const int RebuildBatch = 256;
    private static readonly byte[] s_built = "1"u8.ToArray();

    /// <summary>
    /// How long the marker of an empty list lives. Anyone with the public key can read the followers of any made-up
    /// user id; that must not leave a key behind for good, and a list with members has its sorted set anyway.
    /// </summary>
    private static readonly TimeSpan s_emptyListMarkerTtl = TimeSpan.FromMinutes(10);

    public async Task ApplyAsync(Guid appId, FollowEdge edge, CancellationToken cancellationToken)
    {
        // Each side of the edge is its own user's group, versioned on its own: one script may only touch keys of one
        // hash slot on a Redis Cluster, and both sides end up at the newest version of the edge whatever the order.
        var score = edge.FollowedAt.ToUnixTimeMilliseconds();
        await Task.WhenAll(
            ApplySideAsync(appId, edge.FolloweeId, FollowDirection.Followers, edge.FollowerId, edge, score, cancellationToken),
            ApplySideAsync(appId, edge.FollowerId, FollowDirection.Following, edge.FolloweeId, edge, score, cancellationToken));
    }

    private async Task ApplySideAsync(Guid appId, string userId, FollowDirection direction, string other, FollowEdge edge, long score,
        CancellationToken cancellationToken)
    {
        var set = SetKey(appId, userId, direction);
        var change = edge.Active ? SortedSetChange.Add(set, other, score) : SortedSetChange.Remove(set, other);
        await engine.ApplyIfNewerAsync(VersionKey(appId, userId, direction), other, edge.Version, [change], cancellationToken);
    }

    public async Task<FollowPage> PageAsync(Guid appId, string userId, FollowDirection direction, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var after = cursor is null ? ((double Score, string Member)?)null : DecodeCursor(cursor);
        await EnsureBuiltAsync(appId, userId, direction, cancellationToken);
        var key = SetKey(appId, userId, direction);
        return await engine.NearCache.GetOrLoadAsync(key, $"page:{cursor}:{limit}", async ct =>
        {
            // Newest first. A page continues strictly after (score, member) of the last entry; members sharing a
            // score come in descending member order, so the extra fetched rows cover ties at the boundary.
            var max = after is { } a ? new ScoreBound(a.Score) : ScoreBound.PlusInfinity;
            var rows = await engine.RangeByScoreAsync(key, ScoreBound.MinusInfinity, max, descending: true, 0, limit + 64, ct);
            var items = rows
                .Where(r => after is not { } b || r.Score < b.Score || string.CompareOrdinal(r.Member, b.Member) < 0)
                .Take(limit + 1)
                .ToList();
            var next = items.Count > limit ? EncodeCursor(items[limit - 1].Score, items[limit - 1].Member) : null;
            return new FollowPage([.. items.Take(limit).Select(r => new FollowEntry(r.Member, DateTimeOffset.FromUnixTimeMilliseconds((long)r.Score)))], next);
        }, cancellationToken);
    }

    public async Task<long> CountAsync(Guid appId, string userId, FollowDirection direction, CancellationToken cancellationToken)
    {
        await EnsureBuiltAsync(appId, userId, direction, cancellationToken);
        var key = SetKey(appId, userId, direction);
        return await engine.NearCache.GetOrLoadAsync(key, "count", ct => engine.CountAsync(key, ct), cancellationToken);
    }

    public async Task<bool> IsFollowingAsync(Guid appId, string followeeId, string followerId, CancellationToken cancellationToken)
    {
        await EnsureBuiltAsync(appId, followeeId, FollowDirection.Followers, cancellationToken);
        var key = SetKey(appId, followeeId, FollowDirection.Followers);
        return await engine.NearCache.GetOrLoadAsync(key, "has:" + followerId,
            async ct => await engine.ScoreAsync(key, followerId, ct) is not null, cancellationToken);
    }

    public async Task<long> RebuildAsync(Guid appId, CancellationToken cancellationToken)
    {
        long applied = 0;
        var users = new HashSet<(string, FollowDirection)>();
        (string, string)? after = null;
        while (true)
        {
            var edges = await store.AllEdgesAsync(appId, after, RebuildBatch, cancellationToken);
            if (edges.Count == 0)
            {
                break;
            }

            await Task.WhenAll(edges.Select(e => ApplyAsync(appId, e, cancellationToken)));
            foreach (var edge in edges)
            {
                users.Add((edge.FolloweeId, FollowDirection.Followers));
                users.Add((edge.FollowerId, FollowDirection.Following));
            }

            applied += edges.Count;
            after = (edges[^1].FolloweeId, edges[^1].FollowerId);
        }

        foreach (var (user, direction) in users)
        {
            await engine.SetAsync(BuiltKey(appId, user, direction), s_built, null, cancellationToken);
        }

        return applied;
    }

    /// <summary>Rebuilds one user's list from the store when its marker is missing (Redis flushed or evicted).</summary>
    private async Task EnsureBuiltAsync(Guid appId, string userId, FollowDirection direction, CancellationToken cancellationToken)
    {
        var marker = BuiltKey(appId, userId, direction);
        var built = await engine.NearCache.GetOrLoadAsync(marker, "", async ct => await engine.GetAsync(marker, ct) is not null, cancellationToken);
        if (built)
        {
            return;
        }

        // Versions make this safe against concurrent follows: an edge older than what the mirror has is ignored.
        var edges = await store.EdgesAsync(appId, userId, direction, cancellationToken);
        for (var i = 0; i < edges.Count; i += RebuildBatch)
        {
            await Task.WhenAll(edges.Skip(i).Take(RebuildBatch).Select(e => ApplyAsync(appId, e, cancellationToken)));
        }

        await engine.SetAsync(marker, s_built, edges.Count == 0 ? s_emptyListMarkerTtl : null, cancellationToken);
    }

    // A user's lists, their markers and versions form one group (one hash slot on a Redis Cluster).
    private static string SetKey(Guid appId, string userId, FollowDirection direction) =>
        EngineKeys.Grouped(appId, "follows", userId, Name(direction));

    private static string BuiltKey(Guid appId, string userId, FollowDirection direction) =>
        EngineKeys.Grouped(appId, "follows", userId, Name(direction) + "-built");

    private static string VersionKey(Guid appId, string userId, FollowDirection direction) =>
        EngineKeys.Grouped(appId, "follows", userId, Name(direction) + "-versions");

    private static string Name(FollowDirection direction) => direction == FollowDirection.Followers ? "followers" : "following";

    private static string EncodeCursor(double score, string member) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(((long)score).ToString(CultureInfo.InvariantCulture) + ":" + member));

    private static (double Score, string Member) DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var score))
            {
                return (score, text[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
        }

        throw new ApiException(400, FollowErrors.InvalidCursor, "The cursor is not one this API returned.");
    }
}
