using System.Globalization;
using Stoa.Redis;

namespace Stoa.Foundation.Engine.Redis;

/// <summary>
/// The engine over Redis 7, shared by every node. Commands run on one multiplexed RESP3 connection with
/// <c>CLIENT TRACKING ON</c> (default mode, <see cref="RedisTracking"/>): Redis remembers the keys this node read and
/// pushes an invalidation when any client changes one, which the <see cref="NearCache"/> applies on the connection's
/// reader, before any reply read after it is handed out. When that connection drops, the near-cache is flushed and
/// caches nothing until the reconnect handshake has re-enabled tracking. Pub/sub uses a second connection that
/// resubscribes by itself and raises <see cref="SubscriptionsRestored"/>.
/// On a Redis Cluster (<c>redis://host:port,host:port?cluster=true</c>) the same holds per primary: every primary's
/// connection tracks, a lost one flushes the whole near-cache until every primary is connected again, and channels
/// are sharded (SPUBLISH / SSUBSCRIBE, made again after a failover or a moved slot, which raises
/// <see cref="SubscriptionsRestored"/>). Keys that one script touches must then share a hash tag.
/// </summary>
public sealed partial class RedisEngine : IEngine, IAsyncDisposable
{
    private readonly RedisTracking _tracking;
    private readonly RedisClient _client;
    private readonly RedisSubscriber _subscriber;
    private readonly NearCache _nearCache;
    private readonly RedisFanOut _fanOut;
    private readonly bool _sharded;

    private RedisEngine(RedisTracking tracking, RedisSubscriber subscriber, NearCacheOptions nearCacheOptions)
    {
        _tracking = tracking;
        _client = tracking.Client;
        _subscriber = subscriber;
        _nearCache = new NearCache(nearCacheOptions);
        _sharded = _client.Options.Cluster;
        _fanOut = new RedisFanOut(subscriber, _sharded);
        _fanOut.GapDetected += () => SubscriptionsRestored?.Invoke();
        subscriber.Reconnected += () => SubscriptionsRestored?.Invoke();

        // Disconnected runs when the data connection is torn down and Reconnected after the new connection's
        // handshake (which re-enables tracking): between the two nothing may be cached.
        _client.Disconnected += _ => _nearCache.Suspend();
        _client.Reconnected += _nearCache.Resume;

        // On the socket reader, before the replies that follow the push: a load whose reply comes after it finds its
        // stripe moved and does not cache what it read.
        _tracking.Invalidated += key =>
        {
            if (key is null)
            {
                _nearCache.InvalidateAll();
            }
            else
            {
                _nearCache.Invalidate(key);
            }
        };
    }

    public string Name => "redis";

    public INearCache NearCache => _nearCache;

    public event Action? SubscriptionsRestored;

    /// <summary>
    /// Connects both connections, retrying for up to <paramref name="patience"/> while Redis comes up;
    /// <paramref name="onRetry"/> hears each failed attempt with the time left.
    /// </summary>
    public static async Task<RedisEngine> ConnectAsync(string url, NearCacheOptions? nearCacheOptions, TimeSpan patience,
        CancellationToken cancellationToken, Action<Exception, TimeSpan>? onRetry = null)
    {
        var options = RedisOptions.Parse(url);
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                var tracking = await RedisTracking.ConnectAsync(options, new RedisTrackingOptions { Mode = RedisTrackingMode.Default }, cancellationToken);
                try
                {
                    var subscriber = await RedisSubscriber.ConnectAsync(options, cancellationToken);
                    return new RedisEngine(tracking, subscriber, nearCacheOptions ?? new NearCacheOptions());
                }
                catch
                {
                    await tracking.DisposeAsync();
                    throw;
                }
            }
            catch (Exception ex) when (ex is RedisException or IOException or System.Net.Sockets.SocketException && DateTime.UtcNow < deadline)
            {
                onRetry?.Invoke(ex, deadline - DateTime.UtcNow);
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    public async ValueTask<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.PingAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or OperationCanceledException or TimeoutException or IOException)
        {
            return false;
        }
    }

    public async ValueTask PublishAsync(string channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        await (_sharded ? _client.SPublishAsync(channel, payload, cancellationToken) : _client.PublishAsync(channel, payload, cancellationToken));

    public ValueTask<IAsyncDisposable> SubscribeAsync(string channel, MessageHandler handler, CancellationToken cancellationToken) =>
        _fanOut.SubscribeAsync(channel, handler, cancellationToken);

    /// <summary>A local write drops this node's copies at once, before the server's own invalidation arrives.</summary>
    private void Changed(string key) => _nearCache.Invalidate(key);

    private static string Ms(TimeSpan? ttl) => ttl is { } t ? Math.Max(1, (long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "0";

    public async ValueTask DisposeAsync()
    {
        await _fanOut.DisposeAsync();
        await _subscriber.DisposeAsync();
        await _tracking.DisposeAsync();
    }
}
