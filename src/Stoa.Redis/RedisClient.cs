using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

/// <summary>
/// A Redis client over one multiplexed RESP3 connection, safe for any number of concurrent callers. Commands are
/// pipelined implicitly: concurrent calls are written together and their replies matched in order. Guarantees:
/// <list type="bullet">
/// <item>each call gets its own reply, even when other callers are cancelled or time out (their late replies are read
/// and dropped);</item>
/// <item>a lost connection is re-established in the background with jittered backoff; calls made meanwhile wait until
/// their deadline (<see cref="RedisOptions.CommandTimeout"/>) and then fail with <see cref="RedisConnectionException"/>;
/// calls in flight when it broke fail with <see cref="RedisConnectionException"/> (they may or may not have run);</item>
/// <item>an error reply throws <see cref="RedisServerException"/>; nothing is retried automatically.</item>
/// </list>
/// </summary>
public sealed partial class RedisClient : IAsyncDisposable
{
    private readonly RedisConnection _connection;

    private RedisClient(RedisConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Raised (on a background thread) when the connection is lost, before any reconnect attempt.</summary>
    public event Action<Exception?>? Disconnected;

    /// <summary>Raised (on a background thread) after the connection was re-established.</summary>
    public event Action? Reconnected;

    /// <summary>A copy of the options this client was connected with.</summary>
    public RedisOptions Options => _connection.Options.Clone();

    /// <summary>True while a connection is established (it may still break at any moment).</summary>
    public bool IsConnected => _connection.IsConnected;

    internal RedisConnection Connection => _connection;

    /// <summary>Connects (TCP, TLS for <c>rediss://</c>, <c>HELLO 3</c> with AUTH/SETNAME, SELECT); throws
    /// <see cref="RedisConnectionException"/> if that first attempt fails. Later losses reconnect by themselves.</summary>
    public static Task<RedisClient> ConnectAsync(string url, CancellationToken cancellationToken = default)
        => ConnectAsync(RedisOptions.Parse(url), cancellationToken);

    /// <inheritdoc cref="ConnectAsync(string, CancellationToken)"/>
    public static Task<RedisClient> ConnectAsync(RedisOptions options, CancellationToken cancellationToken = default)
        => ConnectAsync(options, [], cancellationToken);

    internal static async Task<RedisClient> ConnectAsync(RedisOptions options, IReadOnlyList<string[]> handshake, CancellationToken cancellationToken, Action<RespValue>? pushReceived = null, Action<Exception?>? disconnected = null)
    {
        var connection = new RedisConnection(options, handshake);
        var client = new RedisClient(connection);
        connection.PushReceived = pushReceived;
        connection.Disconnected = error =>
        {
            disconnected?.Invoke(error);
            client.Disconnected?.Invoke(error);
        };
        connection.Reconnected = () => client.Reconnected?.Invoke();
        await connection.ConnectAsync(cancellationToken);
        return client;
    }

    /// <summary>
    /// Sends any command and returns the raw reply; an error reply is returned as a value (not thrown) so callers can
    /// inspect it. Arguments: strings (UTF-8), byte[] / ReadOnlyMemory&lt;byte&gt;, integers, doubles.
    /// </summary>
    public ValueTask<RespValue> ExecuteAsync(string command, params ReadOnlySpan<object> args)
        => _connection.SendAsync(Build(command, args), CancellationToken.None);

    /// <inheritdoc cref="ExecuteAsync(string, ReadOnlySpan{object})"/>
    public ValueTask<RespValue> ExecuteAsync(string command, IReadOnlyList<object> args, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        var operation = new RedisOperation();
        operation.Command(args.Count + 1).Arg(command);
        foreach (object arg in args)
        {
            operation.Arg(arg);
        }

        return _connection.SendAsync(operation, cancellationToken, timeout);
    }

    private static RedisOperation Build(string command, ReadOnlySpan<object> args)
    {
        var operation = new RedisOperation();
        operation.Command(args.Length + 1).Arg(command);
        foreach (object arg in args)
        {
            operation.Arg(arg);
        }

        return operation;
    }

    /// <summary>PING; returns the round-trip time.</summary>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        var operation = new RedisOperation();
        operation.Command(1).Arg("PING"u8);
        ThrowIfError(await _connection.SendAsync(operation, cancellationToken));
        return System.Diagnostics.Stopwatch.GetElapsedTime(start);
    }

    /// <summary>A transaction: commands added to it are sent as MULTI … EXEC in one uninterrupted block on this
    /// client's connection when <see cref="RedisTransaction.ExecuteAsync"/> is called.</summary>
    public RedisTransaction CreateTransaction() => new(this);

    internal ValueTask<RespValue> SendAsync(RedisOperation operation, CancellationToken cancellationToken)
        => _connection.SendAsync(operation, cancellationToken);

    internal async ValueTask<RespValue> SendCheckedAsync(RedisOperation operation, CancellationToken cancellationToken)
    {
        var reply = await _connection.SendAsync(operation, cancellationToken);
        ThrowIfError(reply);
        return reply;
    }

    internal static void ThrowIfError(in RespValue reply)
    {
        if (reply.IsError)
        {
            throw new RedisServerException(reply.AsString()!);
        }
    }

    /// <summary>Closes the connection; calls still queued or in flight fail with <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
