using System.Threading.Channels;

namespace Stoa.Foundation.Engine;

/// <summary>
/// One local subscriber of a pub/sub channel, as both engines deliver to it: its own bounded queue and reader, so a
/// slow handler delays only itself and never the publisher or the socket. When its queue is full, messages to it are
/// dropped (at-most-once) and <paramref name="gapDetected"/> is called once it has caught up, so that the consumer can
/// fetch what it missed. Disposing unregisters it through <paramref name="remove"/>, then drains its queue.
/// </summary>
internal sealed class LocalSubscription(string channel, MessageHandler handler, Func<LocalSubscription, ValueTask> remove, Action gapDetected)
    : IAsyncDisposable
{
    private const int QueueCapacity = 10_000;
    private readonly Channel<(string Channel, byte[] Payload)> _queue =
        Channel.CreateBounded<(string, byte[])>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
    private Task? _reader;
    private int _dropped;

    public string ChannelName { get; } = channel;

    /// <summary>Starts delivering; separate from construction so that the subscription is registered first.</summary>
    public LocalSubscription Start()
    {
        _reader = Hosting.BackgroundLoop.Start(ReadAsync);
        return this;
    }

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
                await handler(channel, payload);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A failing handler must not stop delivery to itself or anyone else.
            }

            if (_queue.Reader.Count == 0 && Interlocked.Exchange(ref _dropped, 0) == 1)
            {
                gapDetected();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await remove(this);
        Complete();
        if (_reader is not null)
        {
            await _reader;
        }
    }
}
