using Dapper;
using Stoa.Follows.Core;
using Stoa.Foundation.Sql;

namespace Stoa.Follows.Storage;

/// <summary>
/// The follows table. Its SQL is the same on SQLite and PostgreSQL/CockroachDB (types differ only in the
/// migrations); every statement filters on app_id.
/// </summary>
internal sealed class SqlFollowStore(StoaDatabase database) : IFollowStore
{
    private const string EdgeColumns = "followee_id AS FolloweeId, follower_id AS FollowerId, active AS Active, version AS Version, followed_at AS FollowedAt";

    public Task<FollowEdge> FollowAsync(Guid appId, string followeeId, string followerId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO follows (app_id, followee_id, follower_id, active, version, followed_at)
                VALUES (@appId, @followeeId, @followerId, TRUE, 1, @now)
                ON CONFLICT (app_id, followee_id, follower_id)
                DO UPDATE SET active = TRUE, version = follows.version + 1, followed_at = @now WHERE follows.active = FALSE
                """, new { appId, followeeId, followerId, now }, transaction, cancellationToken: cancellationToken));
            return (await ReadAsync(connection, transaction, appId, followeeId, followerId, cancellationToken))!;
        }, cancellationToken);

    public Task<FollowEdge?> UnfollowAsync(Guid appId, string followeeId, string followerId, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE follows SET active = FALSE, version = version + 1
                WHERE app_id = @appId AND followee_id = @followeeId AND follower_id = @followerId AND active = TRUE
                """, new { appId, followeeId, followerId }, transaction, cancellationToken: cancellationToken));
            return await ReadAsync(connection, transaction, appId, followeeId, followerId, cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<FollowEdge>> EdgesAsync(Guid appId, string userId, FollowDirection direction, CancellationToken cancellationToken)
    {
        var column = direction == FollowDirection.Followers ? "followee_id" : "follower_id";
        var rows = await database.ReadAsync(connection => connection.QueryAsync<EdgeRow>(new CommandDefinition(
            $"SELECT {EdgeColumns} FROM follows WHERE app_id = @appId AND {column} = @userId",
            new { appId, userId }, cancellationToken: cancellationToken)), cancellationToken);
        return [.. rows.Select(r => r.ToEdge())];
    }

    public async Task<IReadOnlyList<FollowEdge>> AllEdgesAsync(Guid appId, (string FolloweeId, string FollowerId)? after, int limit, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(connection => connection.QueryAsync<EdgeRow>(new CommandDefinition($"""
            SELECT {EdgeColumns} FROM follows
            WHERE app_id = @appId AND (followee_id > @followee OR (followee_id = @followee AND follower_id > @follower))
            ORDER BY followee_id, follower_id
            LIMIT @limit
            """, new { appId, followee = after?.FolloweeId ?? "", follower = after?.FollowerId ?? "", limit }, cancellationToken: cancellationToken)),
            cancellationToken);
        return [.. rows.Select(r => r.ToEdge())];
    }

    public Task<IReadOnlyList<Guid>> AppsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Guid>>(async connection =>
            [.. await connection.QueryAsync<Guid>(new CommandDefinition("SELECT DISTINCT app_id FROM follows", cancellationToken: cancellationToken))],
            cancellationToken);

    public Task<long> CountAsync(Guid appId, string userId, FollowDirection direction, CancellationToken cancellationToken)
    {
        var column = direction == FollowDirection.Followers ? "followee_id" : "follower_id";
        return database.ReadAsync(connection => connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM follows WHERE app_id = @appId AND {column} = @userId AND active = TRUE",
            new { appId, userId }, cancellationToken: cancellationToken)), cancellationToken);
    }

    private static async Task<FollowEdge?> ReadAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        Guid appId, string followeeId, string followerId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<EdgeRow>(new CommandDefinition(
            $"SELECT {EdgeColumns} FROM follows WHERE app_id = @appId AND followee_id = @followeeId AND follower_id = @followerId",
            new { appId, followeeId, followerId }, transaction, cancellationToken: cancellationToken));
        return row?.ToEdge();
    }

    /// <summary>Settable row: SQLite returns integers where PostgreSQL returns booleans.</summary>
    private sealed class EdgeRow
    {
        public string FolloweeId { get; set; } = "";

        public string FollowerId { get; set; } = "";

        public bool Active { get; set; }

        public long Version { get; set; }

        public DateTimeOffset FollowedAt { get; set; }

        public FollowEdge ToEdge() => new(FolloweeId, FollowerId, Active, Version, FollowedAt);
    }
}
