using System.Threading.Channels;

namespace Stoa.Foundation.Engine.Memory;

/// <summary>
/// In-process pub/sub. Each subscription has its own bounded queue and reader, so a slow handler delays only its
/// own messages; when its queue is full, new messages to it are dropped (at-most-once) and
/// <see cref="GapDetected"/> fires once it has caught up, as a Redis reconnect would.
/// </summary>
internal sealed class MemoryPubSub : IDisposable
{
    private const int QueueCapacity = 10_000;
    private readonly object _gate = new();
    private readonly Dictionary<string, List<Subscription>> _byChannel = new(StringComparer.Ordinal);

    public event Action? GapDetected;

    public void Publish(string channel, ReadOnlyMemory<byte> payload)
    {
        Subscription[] targets;
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
        var subscription = new Subscription(this, channel, handler);
        lock (_gate)
        {
            if (!_byChannel.TryGetValue(channel, out var list))
            {
                list = [];
                _byChannel[channel] = list;
            }

            list.Add(subscription);
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
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

    private sealed class Subscription : IAsyncDisposable
    {
        private readonly MemoryPubSub _owner;
        private readonly MessageHandler _handler;
        private readonly Channel<(string Channel, byte[] Payload)> _queue =
            Channel.CreateBounded<(string, byte[])>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly Task _reader;
        private int _dropped;

        public Subscription(MemoryPubSub owner, string channel, MessageHandler handler)
        {
            _owner = owner;
            ChannelName = channel;
            _handler = handler;
            _reader = Task.Run(ReadAsync);
        }

        public string ChannelName { get; }

        public void Offer(string channel, byte[] payload)
        {
            if (!_queue.Writer.TryWrite((channel, payload)))
            {
                Interlocked.Exchange(ref _dropped, 1);
            }
        }

        public void Complete() => _queue.Writer.TryComplete();

        private async Task ReadAsync()
        {
            await foreach (var (channel, payload) in _queue.Reader.ReadAllAsync())
            {
                try
                {
                    await _handler(channel, payload);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A failing handler must not stop delivery to itself or anyone else.
                }

                if (_queue.Reader.Count == 0 && Interlocked.Exchange(ref _dropped, 0) == 1)
                {
                    _owner.GapDetected?.Invoke();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _owner.Remove(this);
            Complete();
            await _reader;
        }
    }
}
