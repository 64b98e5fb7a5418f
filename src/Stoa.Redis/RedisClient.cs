using System.Diagnostics;
using Stoa.Redis.Cluster;
using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;
using Stoa.Redis.Telemetry;

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
/// With <see cref="RedisOptions.Cluster"/> the same surface talks to a Redis Cluster: one such connection per primary,
/// each command sent to the primary owning its keys' slot, <c>MOVED</c>/<c>ASK</c> followed transparently (a
/// redirected command did not run, so resending it is no retry), and a command, script or transaction whose keys
/// span slots refused with <see cref="RedisCrossSlotException"/> before it is sent (see docs/redis-client.md).
/// </summary>
public sealed partial class RedisClient : IAsyncDisposable
{
    private readonly IRedisTransport _transport;

    private RedisClient(IRedisTransport transport)
    {
        _transport = transport;
    }

    /// <summary>Raised (on a background thread) when a connection is lost (in cluster mode: any primary's, or one
    /// retired because its node no longer owns slots), before any reconnect attempt.</summary>
    public event Action<Exception?>? Disconnected;

    /// <summary>Raised (on a background thread) after the connection was re-established (in cluster mode: once every
    /// primary of the cluster map is connected again).</summary>
    public event Action? Reconnected;

    /// <summary>A copy of the options this client was connected with.</summary>
    public RedisOptions Options => _transport.Options.Clone();

    /// <summary>True while a connection is established (in cluster mode: to every primary); it may break at any moment.</summary>
    public bool IsConnected => _transport.IsConnected;

    /// <summary>Cluster mode: the primaries of the current cluster map; empty for one server.</summary>
    public IReadOnlyList<RedisEndpoint> ClusterPrimaries => (_transport as ClusterRouter)?.Primaries ?? [];

    /// <summary>Cluster mode: the primary the client's map gives for a slot (tests watch the map change).</summary>
    internal RedisEndpoint? ClusterOwnerOf(int slot) => (_transport as ClusterRouter)?.OwnerOf(slot);

    /// <summary>Connects (TCP, TLS for <c>rediss://</c>, <c>HELLO 3</c> with AUTH/SETNAME, SELECT); throws
    /// <see cref="RedisConnectionException"/> if that first attempt fails. Later losses reconnect by themselves.
    /// In cluster mode it reads the cluster map from the first seed that answers and connects to every primary.</summary>
    public static Task<RedisClient> ConnectAsync(string url, CancellationToken cancellationToken = default)
        => ConnectAsync(RedisOptions.Parse(url), cancellationToken);

    /// <inheritdoc cref="ConnectAsync(string, CancellationToken)"/>
    public static Task<RedisClient> ConnectAsync(RedisOptions options, CancellationToken cancellationToken = default)
        => ConnectAsync(options, [], cancellationToken);

    internal static async Task<RedisClient> ConnectAsync(RedisOptions options, IReadOnlyList<string[]> handshake, CancellationToken cancellationToken, Action<RespValue>? pushReceived = null, Action<Exception?>? disconnected = null)
    {
        IRedisTransport transport = options.Cluster ? new ClusterRouter(options, handshake) : new RedisConnection(options, handshake);
        var client = new RedisClient(transport);
        transport.PushReceived = pushReceived;
        transport.Disconnected = error =>
        {
            disconnected?.Invoke(error);
            client.Disconnected?.Invoke(error);
        };
        transport.Reconnected = () => client.Reconnected?.Invoke();
        await transport.ConnectAsync(cancellationToken);
        return client;
    }

    /// <summary>
    /// Sends any command and returns the raw reply; an error reply is returned as a value (not thrown) so callers can
    /// inspect it. Arguments: strings (UTF-8), byte[] / ReadOnlyMemory&lt;byte&gt;, integers, doubles. In cluster mode
    /// the command goes to the owner of its keys, found from the command's name (most commands take their key first;
    /// EVAL, MSET, XREAD and the other multi-key forms are known).
    /// </summary>
    public ValueTask<RespValue> ExecuteAsync(string command, params ReadOnlySpan<object> args)
    {
        var operation = new RedisOperation();
        RedisCommandKeys.Append(operation, command, args);
        return SendAsync(operation, CancellationToken.None);
    }

    /// <inheritdoc cref="ExecuteAsync(string, ReadOnlySpan{object})"/>
    public ValueTask<RespValue> ExecuteAsync(string command, IReadOnlyList<object> args, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        var operation = new RedisOperation();
        RedisCommandKeys.Append(operation, command, args.ToArray());
        return SendAsync(operation, cancellationToken, timeout);
    }

    /// <summary>PING; returns the round-trip time. In cluster mode every primary is pinged and the slowest answer is
    /// returned: a shard that does not answer fails the call.</summary>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_transport is ClusterRouter router)
        {
            var replies = await Task.WhenAll(router.Primaries.Select(p => router.SendToAsync(p, Ping(), cancellationToken).AsTask()));
            foreach (var reply in replies)
            {
                ThrowIfError(reply);
            }
        }
        else
        {
            ThrowIfError(await SendAsync(Ping(), cancellationToken));
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(start);

        static RedisOperation Ping()
        {
            var operation = new RedisOperation();
            operation.Command(1).Arg("PING"u8);
            return operation;
        }
    }

    /// <summary>
    /// WAIT on the connection that wrote <paramref name="key"/> (in cluster mode, its primary's): returns how many
    /// replicas acknowledged every write sent on that connection so far, once <paramref name="replicas"/> did or
    /// <paramref name="timeout"/> passed. A write followed by this is on that many replicas, so it survives a
    /// failover to one of them.
    /// </summary>
    public async ValueTask<long> WaitForReplicasAsync(string key, int replicas, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(3).Arg("WAIT"u8).Arg(replicas).Arg((long)timeout.TotalMilliseconds).PinToSlot(RedisHashSlot.Of(key));
        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64();
    }

    /// <summary>A transaction: commands added to it are sent as MULTI … EXEC in one uninterrupted block on this
    /// client's connection when <see cref="RedisTransaction.ExecuteAsync"/> is called (in cluster mode, on the
    /// connection of the primary owning its keys, which must share a slot).</summary>
    public RedisTransaction CreateTransaction() => new(this);

    /// <summary>
    /// Every command of this client goes through here or <see cref="SendCheckedAsync"/>, where it is traced and measured
    /// (<see cref="RedisTelemetry"/>); with nothing listening, straight to the transport.
    /// </summary>
    internal ValueTask<RespValue> SendAsync(RedisOperation operation, CancellationToken cancellationToken, TimeSpan? timeout = null)
        => RedisTelemetry.IsObserved ? SendObservedAsync(operation, cancellationToken, timeout) : _transport.SendAsync(operation, cancellationToken, timeout);

    private async ValueTask<RespValue> SendObservedAsync(RedisOperation operation, CancellationToken cancellationToken, TimeSpan? timeout)
    {
        var observation = RedisObservation.Start(operation, _transport.Options);
        try
        {
            var reply = await _transport.SendAsync(operation, cancellationToken, timeout);
            observation.Replied(reply);
            return reply;
        }
        catch (Exception ex)
        {
            observation.Failed(ex);
            throw;
        }
        finally
        {
            observation.End();
        }
    }

    /// <summary>Sends and throws on an error reply; observed in this method's own frame (most commands come this way).</summary>
    internal async ValueTask<RespValue> SendCheckedAsync(RedisOperation operation, CancellationToken cancellationToken)
    {
        var observation = RedisObservation.Start(operation, _transport.Options);
        RespValue reply;
        try
        {
            reply = await _transport.SendAsync(operation, cancellationToken);
            observation.Replied(reply);
        }
        catch (Exception ex)
        {
            observation.Failed(ex);
            throw;
        }
        finally
        {
            observation.End();
        }

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

    /// <summary>Closes the connection(s); calls still queued or in flight fail with <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
