using System.Collections.Concurrent;
using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Cluster;

/// <summary>
/// The transport of a cluster-mode <see cref="RedisClient"/>: one multiplexed <see cref="RedisConnection"/> per
/// primary (each with the client's handshake, so CLIENT TRACKING is on for every shard), and each operation sent to
/// the primary owning its keys' slot. Guarantees:
/// <list type="bullet">
/// <item>an operation whose keys span slots fails with <see cref="RedisCrossSlotException"/> before anything is sent;</item>
/// <item><c>MOVED</c> patches the map, asks for a refresh and resends to the new owner; <c>ASK</c> resends ASKING and
/// the block once to the migration target; <c>TRYAGAIN</c> resends after a pause; at most
/// <see cref="RedisOptions.MaxRedirects"/> times, then the error reply is the caller's. Each is safe because a
/// redirected command did not run (and a redirected command inside MULTI aborts the whole EXEC);</item>
/// <item>an operation queued for a node that loses its slots while it waits (a failover) is sent to the new owner
/// once the map names it; one already written when the connection broke fails as on one server (it may have run);</item>
/// <item><see cref="Disconnected"/> runs whenever a node's connection is lost or retired, before its unanswered
/// operations fail; <see cref="Reconnected"/> once every primary of the map is connected again.</item>
/// </list>
/// </summary>
internal sealed class ClusterRouter : IRedisTransport
{
    private static readonly TimeSpan s_tryAgainPause = TimeSpan.FromMilliseconds(50);

    private readonly RedisOptions _options;
    private readonly IReadOnlyList<string[]> _handshake;
    private readonly ConcurrentDictionary<RedisEndpoint, RedisConnection> _nodes = new();
    private readonly ConcurrentDictionary<RedisConnection, Task> _retiring = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly ClusterMapRefresher _refresher;
    private volatile ClusterMap? _map;
    private int _roundRobin;
    private int _lost;

    public ClusterRouter(RedisOptions options, IReadOnlyList<string[]> handshake)
    {
        _options = options.Clone();
        _handshake = handshake;
        _refresher = new ClusterMapRefresher(_options, Candidates, Apply, () => !IsConnected);
    }

    public RedisOptions Options => _options;

    public Action<RespValue>? PushReceived { get; set; }

    public Action<Exception?>? Disconnected { get; set; }

    public Action? Reconnected { get; set; }

    public bool IsConnected
    {
        get
        {
            var map = _map;
            if (map is null)
            {
                return false;
            }

            foreach (var primary in map.Primaries)
            {
                if (!_nodes.TryGetValue(primary, out var connection) || !connection.IsConnected)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The primaries of the current map.</summary>
    public IReadOnlyList<RedisEndpoint> Primaries => _map?.Primaries ?? [];

    public RedisEndpoint? OwnerOf(int slot) => _map?.OwnerOf(slot);

    /// <summary>Reads the map from the first seed that answers, then connects to every primary; throws
    /// <see cref="RedisConnectionException"/> if no seed answers or a primary cannot be reached (or refuses the
    /// handshake), as one server's first connect would.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var map = await ClusterMapRefresher.FetchAsync(_options, _options.AllSeeds().Select(static e => (e, (RedisConnection?)null)), cancellationToken);
        var connections = map.Primaries.Select(endpoint => (Endpoint: endpoint, Connection: CreateNode(endpoint))).ToList();
        try
        {
            await Task.WhenAll(connections.Select(c => c.Connection.ConnectAsync(cancellationToken)));
        }
        catch
        {
            foreach (var (_, connection) in connections)
            {
                await connection.DisposeAsync();
            }

            throw;
        }

        foreach (var (endpoint, connection) in connections)
        {
            _nodes[endpoint] = connection;
        }

        _map = map;
        _refresher.Start();
    }

    public ValueTask<RespValue> SendAsync(RedisOperation operation, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        if (operation.ConflictingSlot >= 0)
        {
            var (key, otherKey) = operation.ConflictingKeys;
            operation.ReleaseBuffer();
            return ValueTask.FromException<RespValue>(new RedisCrossSlotException(operation.Slot, operation.ConflictingSlot, key, otherKey));
        }

        var limit = timeout ?? _options.CommandTimeout;
        long deadline = limit == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)limit.TotalMilliseconds;
        operation.KeepsPayload = true;
        return SendRoutedAsync(operation, deadline, cancellationToken);
    }

    /// <summary>Sends to one given primary, without following redirects (PING of every shard).</summary>
    public ValueTask<RespValue> SendToAsync(RedisEndpoint endpoint, RedisOperation operation, CancellationToken cancellationToken)
        => Node(endpoint).SendAsync(operation, cancellationToken);

    private async ValueTask<RespValue> SendRoutedAsync(RedisOperation operation, long deadline, CancellationToken cancellationToken)
    {
        var endpoint = EndpointFor(operation.Slot);
        int redirects = 0;
        while (true)
        {
            RespValue reply;
            try
            {
                reply = await Node(endpoint).SendAsync(operation, cancellationToken, Remaining(deadline));
            }
            catch (NodeRetiredException ex)
            {
                // Never written: the node lost its slots (failover, resharding) while this waited for it.
                if (++redirects > _options.MaxRedirects)
                {
                    throw new RedisConnectionException($"The cluster map kept changing while the command waited to be sent (last node {endpoint}).", ex);
                }

                operation = operation.ContinueAs(asking: false);
                endpoint = EndpointFor(operation.Slot);
                continue;
            }

            var redirect = ClusterRedirect.Find(operation.CallerReplies(reply), endpoint);
            if (redirect.Kind == RedirectKind.None || ++redirects > _options.MaxRedirects)
            {
                if (reply.IsError && reply.Span.StartsWith("CLUSTERDOWN"u8))
                {
                    _refresher.Request();
                }

                var result = operation.WithoutAskingReply(reply);
                operation.ReleaseBuffer();
                return result;
            }

            switch (redirect.Kind)
            {
                case RedirectKind.Moved:
                    _map!.Patch(redirect.Slot, redirect.Target);
                    _refresher.Request();
                    endpoint = redirect.Target;
                    operation = operation.ContinueAs(asking: false);
                    break;
                case RedirectKind.Ask:
                    endpoint = redirect.Target;
                    operation = operation.ContinueAs(asking: true);
                    break;
                default:
                    await Task.Delay(s_tryAgainPause, cancellationToken);
                    endpoint = EndpointFor(operation.Slot);
                    operation = operation.ContinueAs(asking: false);
                    break;
            }
        }
    }

    private static TimeSpan Remaining(long deadline)
    {
        if (deadline == long.MaxValue)
        {
            return Timeout.InfiniteTimeSpan;
        }

        long left = deadline - Environment.TickCount64;
        return left > 0
            ? TimeSpan.FromMilliseconds(left)
            : throw new RedisTimeoutException("The command's deadline passed while following cluster redirects.");
    }

    private RedisEndpoint EndpointFor(int slot)
    {
        var map = _map ?? throw new ObjectDisposedException(nameof(RedisClient));
        if (slot < 0)
        {
            // No key: any primary will do; spread such commands (PUBLISH, PING) over all of them.
            var primaries = map.Primaries;
            return primaries[(int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)primaries.Count)];
        }

        if (map.OwnerOf(slot) is { } owner)
        {
            return owner;
        }

        _refresher.Request();
        throw new RedisConnectionException($"No node of the Redis Cluster serves slot {slot} (the cluster map has a hole; asking for a new one).");
    }

    private RedisConnection Node(RedisEndpoint endpoint)
    {
        if (_nodes.TryGetValue(endpoint, out var connection))
        {
            return connection;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, typeof(RedisClient));
            return NodeLocked(endpoint);
        }
    }

    private RedisConnection NodeLocked(RedisEndpoint endpoint)
    {
        if (!_nodes.TryGetValue(endpoint, out var connection))
        {
            // A node named by a redirect or a new map: callers queue on it while it connects in the background.
            connection = CreateNode(endpoint);
            connection.Start();
            _nodes[endpoint] = connection;
        }

        return connection;
    }

    private RedisConnection CreateNode(RedisEndpoint endpoint)
    {
        var connection = new RedisConnection(_options.ForNode(endpoint), _handshake);
        connection.PushReceived = push => PushReceived?.Invoke(push);
        connection.Disconnected = error =>
        {
            Volatile.Write(ref _lost, 1);
            Disconnected?.Invoke(error);
            _refresher.Request();
        };
        connection.Reconnected = RaiseIfWhole;
        return connection;
    }

    /// <summary>Raises <see cref="Reconnected"/> once after a loss, when every primary of the map is connected.</summary>
    private void RaiseIfWhole()
    {
        if (Volatile.Read(ref _lost) == 1 && IsConnected && Interlocked.Exchange(ref _lost, 0) == 1)
        {
            Reconnected?.Invoke();
        }
    }

    private IEnumerable<(RedisEndpoint, RedisConnection?)> Candidates()
    {
        var connected = _nodes.Where(n => n.Value.IsConnected).Select(n => (n.Key, (RedisConnection?)n.Value)).ToList();
        var known = connected.Select(c => c.Key).ToHashSet();
        return connected
            .Concat(_options.AllSeeds().Where(known.Add).Select(static e => (e, (RedisConnection?)null)))
            .Concat(_nodes.Keys.Where(known.Add).Select(static e => (e, (RedisConnection?)null)));
    }

    /// <summary>Takes a refreshed map: connects to new primaries, retires connections to nodes that own no slot (at
    /// once when down, so that what waits on them moves to the new owner; after a grace period when up, so that
    /// replies in flight still arrive).</summary>
    private void Apply(ClusterMap map)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _map = map;
            foreach (var primary in map.Primaries)
            {
                NodeLocked(primary);
            }

            foreach (var (endpoint, connection) in _nodes)
            {
                if (!map.Primaries.Contains(endpoint) && _nodes.TryRemove(new KeyValuePair<RedisEndpoint, RedisConnection>(endpoint, connection)))
                {
                    _retiring[connection] = RetireAsync(connection);
                }
            }
        }

        RaiseIfWhole();
    }

    private async Task RetireAsync(RedisConnection connection)
    {
        if (connection.IsConnected)
        {
            try
            {
                await Task.Delay(_options.CommandTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(30) : _options.CommandTimeout, _disposed.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        else
        {
            await Task.Yield();
        }

        await connection.RetireAsync();
        _retiring.TryRemove(connection, out _);
        RaiseIfWhole();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
        }

        await _refresher.DisposeAsync();
        foreach (var connection in _nodes.Values)
        {
            await connection.DisposeAsync();
        }

        await Task.WhenAll(_retiring.Values);
    }
}
