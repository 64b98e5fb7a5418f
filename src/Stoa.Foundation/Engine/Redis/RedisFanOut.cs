using Stoa.Redis;

namespace Stoa.Foundation.Engine.Redis;

/// <summary>
/// One Redis subscription per channel per node, fanned out to the node's local subscribers. Each local subscriber
/// has its own bounded queue and reader, so a slow handler delays only itself and never the socket; when its queue
/// overflows, messages to it are dropped (at-most-once) and <see cref="GapDetected"/> fires once it has caught up.
/// With <paramref name="sharded"/> (Redis Cluster) channels are sharded (SSUBSCRIBE): each lives on the shard owning
/// its slot, so a message crosses no cluster bus.
/// </summary>
internal sealed class RedisFanOut(RedisSubscriber subscriber, bool sharded) : IAsyncDisposable
{
        private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, List<LocalSubscription>> _byChannel = new(StringComparer.Ordinal);

    public event Action? GapDetected;

    public async ValueTask<IAsyncDisposable> SubscribeAsync(string channel, MessageHandler handler, CancellationToken cancellationToken)
    {
        var local = new LocalSubscription(channel, handler, RemoveAsync, () => GapDetected?.Invoke());
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_byChannel.TryGetValue(channel, out var list))
            {
                list = [];
                _byChannel[channel] = list;
                try
                {
                    await (sharded
                        ? subscriber.SSubscribeAsync(channel, Deliver, cancellationToken)
                        : subscriber.SubscribeAsync(channel, Deliver, cancellationToken));
                }
                catch
                {
                    _byChannel.Remove(channel);
                    throw;
                }
            }

            lock (list)
            {
                list.Add(local);
            }
        }
        finally
        {
            _gate.Release();
        }

        return local.Start();
    }

    /// <summary>Runs on the subscriber's reader: only enqueues.</summary>
    private void Deliver(RedisChannelMessage message)
    {
        if (!_byChannel.TryGetValue(message.Channel, out var list))
        {
            return;
        }

        LocalSubscription[] targets;
        lock (list)
        {
            targets = [.. list];
        }

        var payload = message.PayloadBytes.ToArray();
        foreach (var local in targets)
        {
            local.Offer(message.Channel, payload);
        }
    }

    private async ValueTask RemoveAsync(LocalSubscription local)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_byChannel.TryGetValue(local.ChannelName, out var list))
            {
                return;
            }

            bool empty;
            lock (list)
            {
                list.Remove(local);
                empty = list.Count == 0;
            }

            if (empty)
            {
                _byChannel.Remove(local.ChannelName);
                try
                {
                    await (sharded ? subscriber.SUnsubscribeAsync(local.ChannelName) : subscriber.UnsubscribeAsync(local.ChannelName));
                }
                catch (RedisException)
                {
                    // Disconnected: the subscription is gone anyway, and will not be restored since it is no longer listed.
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var local in _byChannel.Values.SelectMany(l => l))
        {
            local.Complete();
        }

        return ValueTask.CompletedTask;
    }
}
