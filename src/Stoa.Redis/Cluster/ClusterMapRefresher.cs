using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Cluster;

/// <summary>
/// Keeps a cluster map fresh for its owner (the command router or the subscriber): asks a node for
/// <c>CLUSTER SHARDS</c> when asked to (a redirect, a lost connection), every
/// <see cref="RedisOptions.ClusterRefreshInterval"/>, and every second while the owner reports itself degraded (a
/// node unreachable, as during a failover, until the map names the promoted replica). One refresh at a time; requests
/// made while one runs are coalesced into the next.
/// </summary>
internal sealed class ClusterMapRefresher : IAsyncDisposable
{
    private static readonly TimeSpan s_degradedInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_minimumGap = TimeSpan.FromMilliseconds(100);

    private readonly RedisOptions _options;
    private readonly Func<IEnumerable<(RedisEndpoint Endpoint, RedisConnection? Connection)>> _candidates;
    private readonly Action<ClusterMap> _apply;
    private readonly Func<bool> _degraded;
    private readonly CoalescingSignal _requested = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="candidates">Nodes to ask, best first, with their live connection when there is one.</param>
    /// <param name="apply">Takes a new map; called from one task at a time.</param>
    /// <param name="degraded">True while the owner misses a connection it needs.</param>
    public ClusterMapRefresher(RedisOptions options, Func<IEnumerable<(RedisEndpoint, RedisConnection?)>> candidates, Action<ClusterMap> apply, Func<bool> degraded)
    {
        _options = options;
        _candidates = candidates;
        _apply = apply;
        _degraded = degraded;
    }

    public void Start() => _loop = BackgroundLoop.Start(RunAsync);

    /// <summary>Asks for a refresh soon; cheap and safe to call from a socket reader.</summary>
    public void Request() => _requested.Set();

    private async Task RunAsync()
    {
        bool failed = false;
        while (!_stop.IsCancellationRequested)
        {
            var wait = failed || _degraded() ? s_degradedInterval : _options.ClusterRefreshInterval;
            try
            {
                await _requested.WaitAsync(wait, _stop.Token);
                ClusterMap map = await FetchAsync(_options, _candidates(), _stop.Token);
                _apply(map);
                failed = false;
                await Task.Delay(s_minimumGap, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Every node refused or is unreachable: keep what we have and ask again soon.
                failed = true;
            }
        }
    }

    /// <summary>Reads the map from the first candidate that answers; throws when none does.</summary>
    public static async Task<ClusterMap> FetchAsync(RedisOptions options, IEnumerable<(RedisEndpoint Endpoint, RedisConnection? Connection)> candidates, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        Exception? last = null;
        foreach (var (endpoint, connection) in candidates)
        {
            try
            {
                return await FetchFromAsync(options, endpoint, connection, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{endpoint}: {ex.Message}");
                last = ex;
            }
        }

        throw new RedisConnectionException($"Could not read the Redis Cluster map from any node ({string.Join("; ", errors)}).", last);
    }

    private static async Task<ClusterMap> FetchFromAsync(RedisOptions options, RedisEndpoint endpoint, RedisConnection? live, CancellationToken cancellationToken)
    {
        if (live is { IsConnected: true })
        {
            return await AskAsync(live, endpoint, options, cancellationToken);
        }

        // No connection of ours to this node (a seed, or a node that is down): a short-lived one, without the
        // owner's handshake (no tracking, no subscriptions).
        var temporary = new RedisConnection(options.ForNode(endpoint), name: "cluster map");
        try
        {
            await temporary.ConnectAsync(cancellationToken);
            return await AskAsync(temporary, endpoint, options, cancellationToken);
        }
        finally
        {
            await temporary.DisposeAsync();
        }
    }

    private static async Task<ClusterMap> AskAsync(RedisConnection connection, RedisEndpoint endpoint, RedisOptions options, CancellationToken cancellationToken)
    {
        var reply = await connection.SendAsync(Command("SHARDS"u8), cancellationToken, options.ConnectTimeout);
        if (reply.IsError && IsUnknownCommand(reply))
        {
            // Redis 6 and other servers without CLUSTER SHARDS.
            reply = await connection.SendAsync(Command("SLOTS"u8), cancellationToken, options.ConnectTimeout);
            RedisClient.ThrowIfError(reply);
            return ClusterMap.FromSlots(reply, endpoint);
        }

        RedisClient.ThrowIfError(reply);
        return ClusterMap.FromShards(reply, endpoint, options.UseTls);
    }

    private static bool IsUnknownCommand(in RespValue reply)
    {
        string message = reply.AsString() ?? string.Empty;
        return message.Contains("unknown subcommand", StringComparison.OrdinalIgnoreCase)
            || message.Contains("unknown command", StringComparison.OrdinalIgnoreCase);
    }

    private static RedisOperation Command(ReadOnlySpan<byte> subcommand)
    {
        var operation = new RedisOperation();
        operation.Command(2).Arg("CLUSTER"u8).Arg(subcommand);
        return operation;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            await _loop;
        }
    }
}
