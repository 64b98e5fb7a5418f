using System.Collections.Concurrent;
using System.Threading.Channels;
using Stoa.Redis.Cluster;
using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

/// <summary>
/// Dedicated pub/sub connections (RESP3: messages arrive as push frames). Guarantees:
/// <list type="bullet">
/// <item>when <see cref="SubscribeAsync"/> / <see cref="PSubscribeAsync"/> / <see cref="SSubscribeAsync"/> completes,
/// the server has registered the subscription: anything published afterwards is delivered (while the connection
/// holds);</item>
/// <item>handlers run one at a time, in the order messages arrived, on a background task (never on a socket
/// reader, so a slow handler delays later messages but never replies or other connections);</item>
/// <item>a subscription that lapses (a reconnect; on a cluster also a failover, or a slot that moved to another
/// shard) is made again by itself, then <see cref="GapDetected"/> and <see cref="Reconnected"/> are raised (in order
/// with messages): messages published in between are lost, so subscribers should resynchronise.</item>
/// </list>
/// Delivery is at most once, as with Redis pub/sub itself. With <see cref="RedisOptions.Cluster"/>, SUBSCRIBE and
/// PSUBSCRIBE use one connection to one primary (the cluster bus brings every node's PUBLISH to it) and sharded
/// channels use one connection per primary, each channel subscribed on the shard owning its slot (see
/// RedisSubscriber.Sharded.cs).
/// </summary>
public sealed partial class RedisSubscriber : IAsyncDisposable
{
    private readonly RedisOptions _options;
    private readonly ConcurrentDictionary<string, Action<RedisChannelMessage>[]> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<RedisChannelMessage>[]> _patterns = new(StringComparer.Ordinal);
    private readonly Channel<object> _deliveries = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _disposed = new();
    private readonly Task _dispatcher;
    private volatile RedisConnection? _plain;
    private RedisEndpoint _plainEndpoint;

    private RedisSubscriber(RedisOptions options)
    {
        _options = options.Clone();
        if (_options.Cluster)
        {
            _refresher = new ClusterMapRefresher(_options, MapCandidates, ApplyMap, IsDegraded);
        }

        _dispatcher = BackgroundLoop.Start(DispatchAsync);
        _resubscriber = BackgroundLoop.Start(ResubscribeShardedLoopAsync);
    }

    /// <summary>Raised on the dispatcher (in order with messages) after subscriptions were made again (a reconnect, a
    /// failover, a moved slot). Messages published while they had lapsed were lost. <see cref="GapDetected"/> says
    /// which.</summary>
    public event Action? Reconnected;

    /// <summary>Raised on the dispatcher (in order with messages, just before <see cref="Reconnected"/>) with the
    /// subscriptions that were made again: messages published to them while they had lapsed were lost.</summary>
    public event Action<RedisSubscriptionGap>? GapDetected;

    /// <summary>Raised when a handler throws; the exception is otherwise swallowed so other handlers keep running.</summary>
    public event Action<Exception>? HandlerFailed;

    /// <inheritdoc cref="ConnectAsync(RedisOptions, CancellationToken)"/>
    public static Task<RedisSubscriber> ConnectAsync(string url, CancellationToken cancellationToken = default)
        => ConnectAsync(RedisOptions.Parse(url), cancellationToken);

    /// <summary>Connects the pub/sub connection (in cluster mode: reads the cluster map from a seed and connects to
    /// one primary; shard connections are made as sharded channels need them); throws
    /// <see cref="RedisConnectionException"/> if it cannot.</summary>
    public static async Task<RedisSubscriber> ConnectAsync(RedisOptions options, CancellationToken cancellationToken = default)
    {
        var subscriber = new RedisSubscriber(options);
        try
        {
            await subscriber.StartAsync(cancellationToken);
        }
        catch
        {
            await subscriber.DisposeAsync();
            throw;
        }

        return subscriber;
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = new RedisEndpoint(_options.Host, _options.Port);
        if (_refresher is not null)
        {
            _map = await ClusterMapRefresher.FetchAsync(_options, _options.AllSeeds().Select(static e => (e, (RedisConnection?)null)), cancellationToken);
            endpoint = _map.Primaries[0];
        }

        var plain = CreateConnection(endpoint);
        await plain.ConnectAsync(cancellationToken);
        _plainEndpoint = endpoint;
        _plain = plain;
        _refresher?.Start();
    }

    private RedisConnection CreateConnection(RedisEndpoint endpoint)
    {
        var connection = new RedisConnection(_options.ForNode(endpoint), name: "pub/sub");
        connection.PushReceived = push => OnPush(connection, push);
        connection.Disconnected = _ => OnConnectionLost(connection);
        connection.Reconnected = () => OnConnectionRestored(connection);
        return connection;
    }

    /// <summary>Adds a handler for a channel; completes once the server confirmed the subscription.</summary>
    public Task SubscribeAsync(string channel, Action<RedisChannelMessage> handler, CancellationToken cancellationToken = default)
        => AddAsync(_channels, "SUBSCRIBE"u8.ToArray(), channel, handler, cancellationToken);

    /// <summary>Adds a handler for a glob pattern (<c>news.*</c>); completes once the server confirmed it.</summary>
    public Task PSubscribeAsync(string pattern, Action<RedisChannelMessage> handler, CancellationToken cancellationToken = default)
        => AddAsync(_patterns, "PSUBSCRIBE"u8.ToArray(), pattern, handler, cancellationToken);

    /// <summary>Removes every handler of a channel and unsubscribes.</summary>
    public Task UnsubscribeAsync(string channel, CancellationToken cancellationToken = default)
        => RemoveAsync(_channels, "UNSUBSCRIBE"u8.ToArray(), channel, cancellationToken);

    /// <summary>Removes every handler of a pattern and unsubscribes.</summary>
    public Task PUnsubscribeAsync(string pattern, CancellationToken cancellationToken = default)
        => RemoveAsync(_patterns, "PUNSUBSCRIBE"u8.ToArray(), pattern, cancellationToken);

    private async Task AddAsync(ConcurrentDictionary<string, Action<RedisChannelMessage>[]> map, byte[] command, string name, Action<RedisChannelMessage> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);

        // Registered before SUBSCRIBE is sent so the first message after the confirmation finds its handler.
        map.AddOrUpdate(name, static (_, h) => [h], static (_, existing, h) => [.. existing, h], handler);
        try
        {
            ThrowIfError(await SendAndSyncAsync(Plain, command, [name], cancellationToken));
        }
        catch
        {
            // Not subscribed: a reconnect must not make it (and fail it) again and again.
            RemoveHandler(map, name, handler);
            throw;
        }
    }

    private static void RemoveHandler(ConcurrentDictionary<string, Action<RedisChannelMessage>[]> map, string name, Action<RedisChannelMessage> handler)
    {
        while (map.TryGetValue(name, out var handlers))
        {
            var remaining = handlers.Where(h => h != handler).ToArray();
            if (remaining.Length == 0 ? map.TryRemove(new KeyValuePair<string, Action<RedisChannelMessage>[]>(name, handlers)) : map.TryUpdate(name, remaining, handlers))
            {
                return;
            }
        }
    }

    private async Task RemoveAsync(ConcurrentDictionary<string, Action<RedisChannelMessage>[]> map, byte[] command, string name, CancellationToken cancellationToken)
    {
        map.TryRemove(name, out _);
        ThrowIfError(await SendAndSyncAsync(Plain, command, [name], cancellationToken));
    }

    /// <summary>Where SUBSCRIBE and PSUBSCRIBE go (tests kill that node).</summary>
    internal RedisEndpoint PlainEndpoint => _plainEndpoint;

    private RedisConnection Plain => _plain ?? throw new ObjectDisposedException(nameof(RedisSubscriber));

    /// <summary>
    /// Sends a (S)(P)(UN)SUBSCRIBE followed by PING in one block and returns the error replies the subscription
    /// command produced (none when it succeeded). In RESP3 its confirmations are push frames and a failure (MOVED,
    /// CROSSSLOT, NOPERM) is one error reply; PING's reply comes after either, so when it arrives the server has
    /// applied the command, and the reply count never gets out of step.
    /// </summary>
    private static async Task<RespValue[]> SendAndSyncAsync(RedisConnection connection, byte[] command, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var operation = new RedisOperation(expectedReplies: 1) { ErrorsBeforeReply = 1 };
        operation.Command(names.Count + 1).Arg(command);
        foreach (string name in names)
        {
            operation.Arg(name);
        }

        operation.Command(1).Arg("PING"u8);
        var reply = await connection.SendAsync(operation, cancellationToken);
        return reply.Type == RespType.Array && reply.Items is [{ IsError: true }, ..] items ? items[..^1].ToArray() : [];
    }

    private static void ThrowIfError(RespValue[] errors)
    {
        if (errors.Length > 0)
        {
            throw new RedisServerException(errors[0].AsString()!);
        }
    }

    private void OnConnectionLost(RedisConnection connection)
    {
        MarkShardedLost(connection);
        _refresher?.Request();
    }

    private void OnConnectionRestored(RedisConnection connection)
    {
        if (connection == _plain)
        {
            _ = ResubscribePlainAsync(connection);
        }

        // Sharded channels that lapsed with this connection (or are waiting for a shard) can be made again now.
        RequestShardedResubscribe();
    }

    private async Task ResubscribePlainAsync(RedisConnection connection)
    {
        try
        {
            var channels = _channels.Keys.ToArray();
            var patterns = _patterns.Keys.ToArray();
            var tasks = new List<Task<RespValue[]>>();
            if (channels.Length > 0)
            {
                tasks.Add(SendAndSyncAsync(connection, "SUBSCRIBE"u8.ToArray(), channels, CancellationToken.None));
            }

            if (patterns.Length > 0)
            {
                tasks.Add(SendAndSyncAsync(connection, "PSUBSCRIBE"u8.ToArray(), patterns, CancellationToken.None));
            }

            foreach (var errors in await Task.WhenAll(tasks))
            {
                ThrowIfError(errors);
            }

            _deliveries.Writer.TryWrite(new RedisSubscriptionGap(channels, patterns, Sharded: false));
        }
        catch (RedisException)
        {
            // The connection broke again: the next reconnect resubscribes.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Runs on a socket reader: only decodes and queues (and marks moved sharded channels).</summary>
    private void OnPush(RedisConnection source, RespValue push)
    {
        var items = push.Items;
        if (items.Length < 3)
        {
            return;
        }

        var kind = items[0].Span;
        if (kind.SequenceEqual("message"u8))
        {
            _deliveries.Writer.TryWrite(new RedisChannelMessage(items[1].AsString()!, null, items[2].AsBytes() ?? []));
        }
        else if (kind.SequenceEqual("smessage"u8))
        {
            _deliveries.Writer.TryWrite(new RedisChannelMessage(items[1].AsString()!, null, items[2].AsBytes() ?? [], sharded: true));
        }
        else if (kind.SequenceEqual("pmessage"u8) && items.Length >= 4)
        {
            _deliveries.Writer.TryWrite(new RedisChannelMessage(items[2].AsString()!, items[1].AsString(), items[3].AsBytes() ?? []));
        }
        else if (kind.SequenceEqual("sunsubscribe"u8) && items[1].AsString() is { } channel)
        {
            // Also the confirmation of our own SUNSUBSCRIBE, but that channel was dropped from the map first.
            OnShardedUnsubscribedByServer(source, channel);
        }
    }

    private async Task DispatchAsync()
    {
        await foreach (object delivery in _deliveries.Reader.ReadAllAsync())
        {
            if (delivery is RedisSubscriptionGap gap)
            {
                Invoke(() => GapDetected?.Invoke(gap));
                Invoke(Reconnected);
                continue;
            }

            var message = (RedisChannelMessage)delivery;
            var handlers = message.IsSharded ? ShardedHandlers(message.Channel)
                : message.Pattern is null ? _channels.GetValueOrDefault(message.Channel)
                : _patterns.GetValueOrDefault(message.Pattern);
            if (handlers is null)
            {
                continue;
            }

            foreach (var handler in handlers)
            {
                try
                {
                    handler(message);
                }
                catch (Exception ex)
                {
                    Invoke(HandlerFailed, ex);
                }
            }
        }
    }

    private static void Invoke(Action? handler)
    {
        try
        {
            handler?.Invoke();
        }
        catch (Exception)
        {
        }
    }

    private static void Invoke(Action<Exception>? handler, Exception error)
    {
        try
        {
            handler?.Invoke(error);
        }
        catch (Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        if (_refresher is not null)
        {
            await _refresher.DisposeAsync();
        }

        await _resubscriber;
        if (_plain is { } plain)
        {
            await plain.DisposeAsync();
        }

        await DisposeShardsAsync();
        _deliveries.Writer.TryComplete();
        await _dispatcher;
    }
}
