using Stoa.Redis.Protocol;

namespace Stoa.Redis.Connection;

/// <summary>
/// Where a <see cref="RedisClient"/> sends its operations: one multiplexed connection to one server
/// (<see cref="RedisConnection"/>) or a cluster router that picks the connection of the primary owning each
/// operation's slot (<see cref="Cluster.ClusterRouter"/>).
/// </summary>
internal interface IRedisTransport : IAsyncDisposable
{
    RedisOptions Options { get; }

    /// <summary>True while every connection needed is established (any may break at any moment).</summary>
    bool IsConnected { get; }

    /// <summary>Called on a socket reader for every RESP3 push frame, in wire order relative to that connection's
    /// replies; must be quick and must not wait for Redis.</summary>
    Action<RespValue>? PushReceived { get; set; }

    /// <summary>Called when a connection is lost, before its unanswered operations fail and before any reconnect.</summary>
    Action<Exception?>? Disconnected { get; set; }

    /// <summary>Called once every connection is established again after a loss.</summary>
    Action? Reconnected { get; set; }

    Task ConnectAsync(CancellationToken cancellationToken);

    ValueTask<RespValue> SendAsync(RedisOperation operation, CancellationToken cancellationToken, TimeSpan? timeout = null);
}
