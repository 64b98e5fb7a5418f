using System.Collections.Concurrent;
using System.Threading.Channels;
using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

/// <summary>
/// A dedicated pub/sub connection (RESP3: messages arrive as push frames). Guarantees:
/// <list type="bullet">
/// <item>when <see cref="SubscribeAsync"/> / <see cref="PSubscribeAsync"/> completes, the server has registered the
/// subscription: anything published afterwards is delivered (while the connection holds);</item>
/// <item>handlers run one at a time, in the order messages arrived, on a background task (never on the socket
/// reader, so a slow handler delays later messages but never replies or other connections);</item>
/// <item>after a reconnect every channel and pattern is subscribed again, then <see cref="Reconnected"/> is raised
/// (in order with messages): messages published while disconnected are lost, so subscribers should resynchronise.</item>
/// </list>
/// Delivery is at most once, as with Redis pub/sub itself.
/// </summary>
public sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly RedisConnection _connection;
    private readonly ConcurrentDictionary<string, Action<RedisChannelMessage>[]> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<RedisChannelMessage>[]> _patterns = new(StringComparer.Ordinal);
    private readonly Channel<object> _deliveries = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _dispatcher;
    private static readonly object s_reconnectedMarker = new();

    private RedisSubscriber(RedisConnection connection)
    {
        _connection = connection;
        _connection.PushReceived = OnPush;
        _connection.Reconnected = OnReconnected;
        _dispatcher = Task.Run(DispatchAsync);
    }

    /// <summary>Raised on the dispatcher (in order with messages) after a reconnect, once every subscription was sent
    /// again. Messages published while the connection was down were lost.</summary>
    public event Action? Reconnected;

    /// <summary>Raised when a handler throws; the exception is otherwise swallowed so other handlers keep running.</summary>
    public event Action<Exception>? HandlerFailed;

    /// <inheritdoc cref="ConnectAsync(RedisOptions, CancellationToken)"/>
    public static Task<RedisSubscriber> ConnectAsync(string url, CancellationToken cancellationToken = default)
        => ConnectAsync(RedisOptions.Parse(url), cancellationToken);

    /// <summary>Connects the pub/sub connection; throws <see cref="RedisConnectionException"/> if it cannot.</summary>
    public static async Task<RedisSubscriber> ConnectAsync(RedisOptions options, CancellationToken cancellationToken = default)
    {
        var subscriber = new RedisSubscriber(new RedisConnection(options, name: "pub/sub"));
        await subscriber._connection.ConnectAsync(cancellationToken);
        return subscriber;
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
        await SendAndSyncAsync(command, [name], cancellationToken);
    }

    private async Task RemoveAsync(ConcurrentDictionary<string, Action<RedisChannelMessage>[]> map, byte[] command, string name, CancellationToken cancellationToken)
    {
        map.TryRemove(name, out _);
        await SendAndSyncAsync(command, [name], cancellationToken);
    }

    /// <summary>Sends a (P)(UN)SUBSCRIBE followed by PING in one block. In RESP3 the subscription confirmations are
    /// push frames; PING's reply comes after them, so when it arrives the server has applied the command.</summary>
    private async Task SendAndSyncAsync(byte[] command, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var operation = new RedisOperation(expectedReplies: 1);
        operation.Command(names.Count + 1).Arg(command);
        foreach (string name in names)
        {
            operation.Arg(name);
        }

        operation.Command(1).Arg("PING"u8);
        var reply = await _connection.SendAsync(operation, cancellationToken);
        RedisClient.ThrowIfError(reply);
    }

    private void OnReconnected()
    {
        _ = ResubscribeAsync();
    }

    private async Task ResubscribeAsync()
    {
        try
        {
            var channels = _channels.Keys.ToArray();
            var patterns = _patterns.Keys.ToArray();
            var tasks = new List<Task>();
            if (channels.Length > 0)
            {
                tasks.Add(SendAndSyncAsync("SUBSCRIBE"u8.ToArray(), channels, CancellationToken.None));
            }

            if (patterns.Length > 0)
            {
                tasks.Add(SendAndSyncAsync("PSUBSCRIBE"u8.ToArray(), patterns, CancellationToken.None));
            }

            await Task.WhenAll(tasks);
            _deliveries.Writer.TryWrite(s_reconnectedMarker);
        }
        catch (RedisException)
        {
            // The connection broke again: the next reconnect resubscribes.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Runs on the socket reader: only decodes and queues.</summary>
    private void OnPush(RespValue push)
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
        else if (kind.SequenceEqual("pmessage"u8) && items.Length >= 4)
        {
            _deliveries.Writer.TryWrite(new RedisChannelMessage(items[2].AsString()!, items[1].AsString(), items[3].AsBytes() ?? []));
        }
    }

    private async Task DispatchAsync()
    {
        await foreach (object delivery in _deliveries.Reader.ReadAllAsync())
        {
            if (ReferenceEquals(delivery, s_reconnectedMarker))
            {
                Invoke(Reconnected);
                continue;
            }

            var message = (RedisChannelMessage)delivery;
            var handlers = message.Pattern is null
                ? _channels.GetValueOrDefault(message.Channel)
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
        await _connection.DisposeAsync();
        _deliveries.Writer.TryComplete();
        await _dispatcher;
    }
}
