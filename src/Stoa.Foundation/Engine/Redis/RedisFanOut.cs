using System.Threading.Channels;
using Stoa.Redis;

namespace Stoa.Foundation.Engine.Redis;

/// <summary>
/// One Redis subscription per channel per node, fanned out to the node's local subscribers. Each local subscriber
/// has its own bounded queue and reader, so a slow handler delays only itself and never the socket; when its queue
/// overflows, messages to it are dropped (at-most-once) and <see cref="GapDetected"/> fires once it has caught up.
/// </summary>
internal sealed class RedisFanOut(RedisSubscriber subscriber) : IAsyncDisposable
{
    private const int QueueCapacity = 10_000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, List<Local>> _byChannel = new(StringComparer.Ordinal);

    public event Action? GapDetected;

    public async ValueTask<IAsyncDisposable> SubscribeAsync(string channel, MessageHandler handler, CancellationToken cancellationToken)
    {
        var local = new Local(this, channel, handler);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_byChannel.TryGetValue(channel, out var list))
            {
                list = [];
                _byChannel[channel] = list;
                try
                {
                    await subscriber.SubscribeAsync(channel, Deliver, cancellationToken);
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

        return local;
    }

    /// <summary>Runs on the subscriber's reader: only enqueues.</summary>
    private void Deliver(RedisChannelMessage message)
    {
        if (!_byChannel.TryGetValue(message.Channel, out var list))
        {
            return;
        }

        Local[] targets;
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

    private async Task RemoveAsync(Local local)
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
                    await subscriber.UnsubscribeAsync(local.ChannelName);
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

    private sealed class Local : IAsyncDisposable
    {
        private readonly RedisFanOut _owner;
        private readonly MessageHandler _handler;
        private readonly Channel<(string Channel, byte[] Payload)> _queue =
            Channel.CreateBounded<(string, byte[])>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
        private readonly Task _reader;
        private int _dropped;

        public Local(RedisFanOut owner, string channel, MessageHandler handler)
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
                    // A failing handler must not stop delivery.
                }

                if (_queue.Reader.Count == 0 && Interlocked.Exchange(ref _dropped, 0) == 1)
                {
                    _owner.GapDetected?.Invoke();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _owner.RemoveAsync(this);
            Complete();
            await _reader;
        }
    }
}
