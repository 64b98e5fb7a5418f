using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

/// <summary>
/// A <see cref="RedisClient"/> whose connection (on a cluster: every primary's) has server-assisted client-side
/// caching on (<c>CLIENT TRACKING ON</c> in the <see cref="RedisTrackingOptions.Mode"/> asked for), and the stream of
/// invalidations the server pushes on it: what a process-local cache of Redis values needs to stay coherent. It holds
/// no values itself. Guarantees (see docs/redis-client.md):
/// <list type="bullet">
/// <item><see cref="Invalidated"/> runs for an invalidation push before any reply read after that push is handed out,
/// so a cache that drops the key in its handler can never store, from a reply that follows the push, a value read
/// before the change (on a cluster this holds per primary: a key's pushes and replies share its shard's connection);</item>
/// <item>it runs with a null key ("everything") for a null invalidation (flush, tracking table full) and whenever a
/// connection is lost (on a cluster: any primary's, or one retired because its node lost its slots), before that
/// connection's unanswered calls fail and before any reconnect attempt: invalidations may be lost with a connection,
/// and the server forgets what it tracked for it;</item>
/// <item>tracking is enabled in every connection's handshake, which completes before any queued command is written,
/// so every read sent after a reconnect, including one queued during the outage, is tracked;
/// <see cref="RedisClient.Reconnected"/> says when every connection tracks again;</item>
/// <item>handlers run on the socket reader with nothing locked: they must be quick and must not block; they may send
/// commands, even on <see cref="Client"/>, but must not wait there for a reply (the reader would be the one to read it).</item>
/// </list>
/// The server sends the invalidation caused by this client's own write after the write's reply (redis#9422): a cache
/// drops what it holds for a key it wrote when the write returns, instead of waiting for the push. A change made by
/// another client reaches the handlers about one network hop after it is made, as with any Redis client-side cache.
/// </summary>
public sealed class RedisTracking : IAsyncDisposable
{
    private readonly RedisTrackingMode _mode;
    private readonly string[] _prefixes;
    private RedisClient _client = null!;

    private RedisTracking(RedisTrackingOptions options)
    {
        _mode = options.Mode;
        _prefixes = [.. options.Prefixes];
    }

    /// <summary>
    /// Raised with each key the server invalidated (changed, expired or evicted, by anyone: this client included), or
    /// with null when everything must be considered changed. Runs on the socket reader, in wire order with that
    /// connection's replies; on a cluster the primaries' readers may raise it concurrently. An exception thrown by a
    /// handler is swallowed, and the other handlers still run.
    /// </summary>
    public event Action<string?>? Invalidated;

    /// <summary>The client on the tracking connection(s). Reads through it are tracked per <see cref="Mode"/>
    /// (in <see cref="RedisTrackingMode.OptIn"/> only those made with <see cref="GetAsync"/>).</summary>
    public RedisClient Client => _client;

    public RedisTrackingMode Mode => _mode;

    /// <inheritdoc cref="ConnectAsync(RedisOptions, RedisTrackingOptions?, CancellationToken)"/>
    public static Task<RedisTracking> ConnectAsync(string url, RedisTrackingOptions? trackingOptions = null, CancellationToken cancellationToken = default)
        => ConnectAsync(RedisOptions.Parse(url), trackingOptions, cancellationToken);

    /// <summary>Connects with <c>CLIENT TRACKING ON</c> per <paramref name="trackingOptions"/> (default mode when
    /// null) in the handshake. Throws <see cref="RedisConnectionException"/> if that first connection fails.</summary>
    public static async Task<RedisTracking> ConnectAsync(RedisOptions options, RedisTrackingOptions? trackingOptions = null, CancellationToken cancellationToken = default)
    {
        var tracking = new RedisTracking(trackingOptions ?? new RedisTrackingOptions());
        tracking._client = await RedisClient.ConnectAsync(options, [tracking.TrackingCommand()], cancellationToken, tracking.OnPush, tracking.OnDisconnected);
        return tracking;
    }

    private string[] TrackingCommand()
    {
        var command = new List<string> { "CLIENT", "TRACKING", "ON" };
        switch (_mode)
        {
            case RedisTrackingMode.OptIn:
                command.Add("OPTIN");
                break;
            case RedisTrackingMode.Broadcast:
                command.Add("BCAST");
                foreach (string prefix in _prefixes)
                {
                    command.Add("PREFIX");
                    command.Add(prefix);
                }

                break;
        }

        return [.. command];
    }

    /// <summary>True when a read of <paramref name="key"/> through <see cref="GetAsync"/> will be followed by an
    /// invalidation when the key changes: always, except in <see cref="RedisTrackingMode.Broadcast"/> mode for a key
    /// under no prefix, which a cache must then not keep.</summary>
    public bool Tracks(string key)
    {
        if (_mode != RedisTrackingMode.Broadcast || _prefixes.Length == 0)
        {
            return true;
        }

        foreach (string prefix in _prefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>GET as UTF-8 (null when the key does not exist: absence is tracked too), a read the server tracks in
    /// every mode: in <see cref="RedisTrackingMode.OptIn"/> mode <c>CLIENT CACHING YES</c> and the GET go as one block,
    /// so that no other command can come between them.</summary>
    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
        => (await ReadAsync(key, cancellationToken)).AsString();

    /// <inheritdoc cref="GetAsync"/>
    public async ValueTask<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default)
        => (await ReadAsync(key, cancellationToken)).AsBytes();

    private async ValueTask<RespValue> ReadAsync(string key, CancellationToken cancellationToken)
    {
        if (_mode != RedisTrackingMode.OptIn)
        {
            return await _client.SendCheckedAsync(RedisClient.Key1("GET"u8, key), cancellationToken);
        }

        var pair = new RedisOperation(expectedReplies: 2);
        pair.Command(3).Arg("CLIENT"u8).Arg("CACHING"u8).Arg("YES"u8);
        pair.Command(2).Arg("GET"u8).Key(key);
        var both = (await _client.SendCheckedAsync(pair, cancellationToken)).Items;
        RedisClient.ThrowIfError(both[0]);
        RedisClient.ThrowIfError(both[1]);
        return both[1];
    }

    /// <summary>Runs on the socket reader, before any later reply of that connection is handed out.</summary>
    private void OnPush(RespValue push)
    {
        var items = push.Items;
        if (items.Length < 2 || !items[0].Span.SequenceEqual("invalidate"u8))
        {
            return;
        }

        if (items[1].IsNull)
        {
            Raise(null);
            return;
        }

        foreach (var item in items[1].Items)
        {
            Raise(item.AsString()!);
        }
    }

    private void OnDisconnected(Exception? error) => Raise(null);

    private void Raise(string? key)
    {
        var handlers = Invalidated;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in Delegate.EnumerateInvocationList(handlers))
        {
            try
            {
                handler(key);
            }
            catch (Exception)
            {
                // One handler's bug must not deprive the others, or the reader, of the invalidation.
            }
        }
    }

    /// <summary>Closes the connection(s); handlers see a last null invalidation.</summary>
    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
