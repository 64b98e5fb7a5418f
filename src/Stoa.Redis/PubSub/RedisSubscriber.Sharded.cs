using System.Collections.Concurrent;
using Stoa.Redis.Cluster;
using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

/// <summary>
/// Sharded pub/sub (Redis 7: SSUBSCRIBE / SPUBLISH). A sharded channel lives in the slot of its name like a key, so
/// on a cluster it is subscribed on the connection to the primary owning that slot, and a message published there
/// never crosses the cluster bus. It lapses when that connection is lost (a crash, a failover) or when the server
/// unsubscribes it because its slot moved (a <c>sunsubscribe</c> push nobody asked for); the resubscriber then makes it
/// again on the slot's owner per the refreshed map, following <c>MOVED</c>, and reports the gap.
/// </summary>
public sealed partial class RedisSubscriber
{
    private static readonly TimeSpan s_resubscribeRetry = TimeSpan.FromMilliseconds(250);

    private readonly ClusterMapRefresher? _refresher;
    private readonly Task _resubscriber;
    private readonly Lock _shardGate = new();
    private readonly Dictionary<string, ShardedChannel> _sharded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RedisEndpoint, RedisConnection> _shards = new();
    private readonly ConcurrentDictionary<RedisConnection, Task> _retiring = new();
    private readonly CoalescingSignal _resubscribeRequested = new();
    private volatile ClusterMap? _map;

    /// <summary>Adds a handler for a sharded channel; completes once the shard owning the channel's slot confirmed
    /// the subscription. Publish to it with <see cref="RedisClient.SPublishAsync(string, string, CancellationToken)"/>.</summary>
    public async Task SSubscribeAsync(string channel, Action<RedisChannelMessage> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_shardGate)
        {
            // Registered before SSUBSCRIBE is sent so the first message after the confirmation finds its handler.
            if (!_sharded.TryGetValue(channel, out var entry))
            {
                _sharded[channel] = entry = new ShardedChannel();
            }

            entry.Handlers = [.. entry.Handlers, handler];
        }

        try
        {
            await SubscribeShardedAsync([channel], cancellationToken);
        }
        catch
        {
            lock (_shardGate)
            {
                if (_sharded.TryGetValue(channel, out var entry))
                {
                    entry.Handlers = [.. entry.Handlers.Where(h => h != handler)];
                    if (entry.Handlers.Length == 0)
                    {
                        _sharded.Remove(channel);
                    }
                }
            }

            throw;
        }
    }

    /// <summary>Removes every handler of a sharded channel and unsubscribes it on its shard.</summary>
    public async Task SUnsubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        RedisConnection? home;
        lock (_shardGate)
        {
            home = _sharded.Remove(channel, out var entry) ? entry.Home : null;
        }

        if (home is { IsConnected: true })
        {
            ThrowIfError(await SendAndSyncAsync(home, "SUNSUBSCRIBE"u8.ToArray(), [channel], cancellationToken));
        }
    }

    private Action<RedisChannelMessage>[]? ShardedHandlers(string channel)
    {
        lock (_shardGate)
        {
            return _sharded.TryGetValue(channel, out var entry) ? entry.Handlers : null;
        }
    }

    /// <summary>
    /// Subscribes channels of one slot on the primary that owns it (one server: the only connection), following
    /// <c>MOVED</c>. A channel the server unsubscribed while this was in flight (its generation moved) stays lapsed
    /// and goes back to the resubscriber.
    /// </summary>
    private async Task SubscribeShardedAsync(string[] channels, CancellationToken cancellationToken)
    {
        int slot = RedisHashSlot.Of(channels[0]);
        var generations = new long[channels.Length];
        lock (_shardGate)
        {
            for (int i = 0; i < channels.Length; i++)
            {
                generations[i] = _sharded.TryGetValue(channels[i], out var entry) ? entry.Generation : -1;
            }
        }

        for (int redirects = 0; ; redirects++)
        {
            var (endpoint, connection) = ShardFor(slot);
            RespValue[] errors;
            try
            {
                errors = await SendAndSyncAsync(connection, "SSUBSCRIBE"u8.ToArray(), channels, cancellationToken);
            }
            catch (NodeRetiredException ex)
            {
                // That node lost its slots while this waited for it: ask the new map.
                if (redirects >= _options.MaxRedirects)
                {
                    throw new RedisConnectionException($"The cluster map kept changing while SSUBSCRIBE waited to be sent (last node {endpoint}).", ex);
                }

                continue;
            }

            if (errors.Length == 0)
            {
                Subscribed(channels, generations, connection);
                return;
            }

            if (_map is { } map && redirects < _options.MaxRedirects
                && ClusterRedirect.TryParse(errors[0].Span, endpoint, out var redirect) && redirect.Kind == RedirectKind.Moved)
            {
                map.Patch(redirect.Slot, redirect.Target);
                _refresher?.Request();
                continue;
            }

            ThrowIfError(errors);
        }
    }

    private void Subscribed(string[] channels, long[] generations, RedisConnection connection)
    {
        bool lapsed = false;
        lock (_shardGate)
        {
            for (int i = 0; i < channels.Length; i++)
            {
                if (!_sharded.TryGetValue(channels[i], out var entry))
                {
                    continue;
                }

                if (entry.Generation == generations[i])
                {
                    entry.Home = connection;
                    entry.Lapsed = false;
                }
                else
                {
                    entry.Home = null;
                    entry.Lapsed = lapsed = true;
                }
            }
        }

        if (lapsed)
        {
            RequestShardedResubscribe();
        }
    }

    private (RedisEndpoint Endpoint, RedisConnection Connection) ShardFor(int slot)
    {
        if (_map is not { } map)
        {
            return (_plainEndpoint, Plain);
        }

        var endpoint = map.OwnerOf(slot);
        if (endpoint is null)
        {
            _refresher?.Request();
            throw new RedisConnectionException($"No node of the Redis Cluster serves slot {slot} (the cluster map has a hole; asking for a new one).");
        }

        return (endpoint.Value, Shard(endpoint.Value));
    }

    private RedisConnection Shard(RedisEndpoint endpoint)
    {
        if (_shards.TryGetValue(endpoint, out var connection))
        {
            return connection;
        }

        lock (_shardGate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (!_shards.TryGetValue(endpoint, out connection))
            {
                connection = CreateConnection(endpoint);
                connection.Start();
                _shards[endpoint] = connection;
            }

            return connection;
        }
    }

    /// <summary>The server unsubscribed a sharded channel we still want (its slot moved): make it again.</summary>
    private void OnShardedUnsubscribedByServer(RedisConnection source, string channel)
    {
        lock (_shardGate)
        {
            if (!_sharded.TryGetValue(channel, out var entry))
            {
                return;
            }

            entry.Generation++;
            if (entry.Home == source)
            {
                entry.Home = null;
                entry.Lapsed = true;
            }
        }

        _refresher?.Request();
        RequestShardedResubscribe();
    }

    /// <summary>A connection was lost: the sharded channels it carried have lapsed.</summary>
    private void MarkShardedLost(RedisConnection connection)
    {
        bool any = false;
        lock (_shardGate)
        {
            foreach (var entry in _sharded.Values)
            {
                if (entry.Home == connection)
                {
                    entry.Home = null;
                    entry.Lapsed = any = true;
                }
            }
        }

        if (any)
        {
            RequestShardedResubscribe();
        }
    }

    private void RequestShardedResubscribe() => _resubscribeRequested.Set();

    /// <summary>Makes lapsed sharded channels again, one SSUBSCRIBE per slot, all slots at once; retries what failed
    /// (a shard still down, a map not yet updated) until it succeeds; reports each batch made as one gap.</summary>
    private async Task ResubscribeShardedLoopAsync()
    {
        bool retry = false;
        while (true)
        {
            try
            {
                await _resubscribeRequested.WaitAsync(retry ? s_resubscribeRetry : Timeout.InfiniteTimeSpan, _disposed.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            string[] lapsed;
            lock (_shardGate)
            {
                lapsed = [.. _sharded.Where(e => e.Value.Lapsed).Select(e => e.Key)];
            }

            var groups = lapsed.GroupBy(RedisHashSlot.Of).Select(g => g.ToArray()).ToList();
            var outcomes = await Task.WhenAll(groups.Select(TryResubscribeAsync));
            var restored = groups.Where((_, i) => outcomes[i]).SelectMany(g => g).ToList();
            retry = outcomes.Contains(false);
            lock (_shardGate)
            {
                restored.RemoveAll(c => !_sharded.TryGetValue(c, out var entry) || entry.Lapsed);
            }

            if (restored.Count > 0)
            {
                _deliveries.Writer.TryWrite(new RedisSubscriptionGap(restored, [], Sharded: true));
            }
        }
    }

    private async Task<bool> TryResubscribeAsync(string[] channels)
    {
        try
        {
            await SubscribeShardedAsync(channels, _disposed.Token);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    private IEnumerable<(RedisEndpoint, RedisConnection?)> MapCandidates()
    {
        var connected = _shards.Where(s => s.Value.IsConnected).Select(s => (s.Key, (RedisConnection?)s.Value)).ToList();
        if (_plain is { IsConnected: true } plain)
        {
            connected.Insert(0, (_plainEndpoint, plain));
        }

        var known = connected.Select(c => c.Item1).ToHashSet();
        return connected.Concat(_options.AllSeeds().Where(known.Add).Select(static e => (e, (RedisConnection?)null)));
    }

    private bool IsDegraded()
    {
        if (_plain is not { IsConnected: true } || _shards.Values.Any(c => !c.IsConnected))
        {
            return true;
        }

        lock (_shardGate)
        {
            return _sharded.Values.Any(e => e.Lapsed);
        }
    }

    /// <summary>
    /// Takes a refreshed map. A shard connection whose node owns no slot any more is closed once nothing is subscribed
    /// on it (what waits on it goes back to the resubscriber); the SUBSCRIBE connection moves to a current primary when
    /// its node is down and no longer one (a failover), and makes every channel and pattern again there.
    /// </summary>
    private void ApplyMap(ClusterMap map)
    {
        _map = map;
        lock (_shardGate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            foreach (var (endpoint, connection) in _shards)
            {
                bool carries = _sharded.Values.Any(e => e.Home == connection);
                if (!map.Primaries.Contains(endpoint) && (!carries || !connection.IsConnected)
                    && _shards.TryRemove(new KeyValuePair<RedisEndpoint, RedisConnection>(endpoint, connection)))
                {
                    Retire(connection);
                }
            }

            if (_plain is { IsConnected: false } plain && !map.Primaries.Contains(_plainEndpoint) && map.Primaries.Count > 0)
            {
                // Its first connection raises Reconnected, which makes every SUBSCRIBE and PSUBSCRIBE again there.
                var moved = CreateConnection(map.Primaries[0]);
                _plainEndpoint = map.Primaries[0];
                _plain = moved;
                moved.Start();
                Retire(plain);
            }
        }

        RequestShardedResubscribe();
    }

    private void Retire(RedisConnection connection)
        => _retiring[connection] = Task.Run(async () =>
        {
            await connection.RetireAsync();
            _retiring.TryRemove(connection, out _);
        });

    private async Task DisposeShardsAsync()
    {
        foreach (var connection in _shards.Values)
        {
            await connection.DisposeAsync();
        }

        await Task.WhenAll(_retiring.Values);
    }

    /// <summary>One sharded channel: its handlers, the connection it is subscribed on (null while not), whether it
    /// lapsed (and should be made again), and how many times the server unsubscribed it.</summary>
    private sealed class ShardedChannel
    {
        public Action<RedisChannelMessage>[] Handlers { get; set; } = [];

        public RedisConnection? Home { get; set; }

        public bool Lapsed { get; set; }

        public long Generation { get; set; }
    }
}
