namespace Stoa.Foundation.Engine.Memory;

/// <summary>
/// In-process pub/sub. Each subscription has its own bounded queue and reader, so a slow handler delays only its
/// own messages; when its queue is full, new messages to it are dropped (at-most-once) and
/// <see cref="GapDetected"/> fires once it has caught up, as a Redis reconnect would.
/// </summary>
internal sealed class MemoryPubSub : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<LocalSubscription>> _byChannel = new(StringComparer.Ordinal);

    public event Action? GapDetected;

    public void Publish(string channel, ReadOnlyMemory<byte> payload)
    {
        LocalSubscription[] targets;
        lock (_gate)
        {
            if (!_byChannel.TryGetValue(channel, out var list))
            {
                return;
            }

            targets = [.. list];
        }

        var copy = payload.ToArray();
        foreach (var subscription in targets)
        {
            subscription.Offer(channel, copy);
        }
    }

    public IAsyncDisposable Subscribe(string channel, MessageHandler handler)
    {
        var subscription = new LocalSubscription(channel, handler, s =>
        {
            Remove(s);
            return ValueTask.CompletedTask;
        }, () => GapDetected?.Invoke());
        lock (_gate)
        {
            if (!_byChannel.TryGetValue(channel, out var list))
            {
                list = [];
                _byChannel[channel] = list;
            }

            list.Add(subscription);
        }

        return subscription.Start();
    }

    private void Remove(LocalSubscription subscription)
    {
        lock (_gate)
        {
            if (_byChannel.TryGetValue(subscription.ChannelName, out var list))
            {
                list.Remove(subscription);
                if (list.Count == 0)
                {
                    _byChannel.Remove(subscription.ChannelName);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var subscription in _byChannel.Values.SelectMany(l => l))
            {
                subscription.Complete();
            }

            _byChannel.Clear();
        }
    }
}
