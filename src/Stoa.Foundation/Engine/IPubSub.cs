namespace Stoa.Foundation.Engine;

/// <summary>Receives one published message. Handlers of one subscription are called one at a time, in order.</summary>
public delegate ValueTask MessageHandler(string channel, ReadOnlyMemory<byte> payload);

/// <summary>
/// Publish/subscribe across every node sharing the engine.
/// <para>Guarantees: <b>at-most-once</b> delivery — a message may be lost (a subscriber too slow to keep up, a dropped
/// connection), never duplicated; <b>per-channel order</b> — messages published by one node on one channel reach each
/// subscriber in the order they were published. Nothing is stored: a subscriber sees only messages published after
/// its subscription is active. Consumers that need every message (docs) number their messages and fetch gaps from
/// the store; <see cref="SubscriptionsRestored"/> tells them when a gap may have opened.</para>
/// </summary>
public interface IPubSub
{
    ValueTask PublishAsync(string channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Subscribes until the returned handle is disposed. The subscription is active when the task completes.</summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(string channel, MessageHandler handler, CancellationToken cancellationToken);

    /// <summary>
    /// Raised after the engine lost its subscriptions (reconnect, or a subscriber's buffer overflowed) and restored
    /// them: messages published in between were lost.
    /// </summary>
    event Action? SubscriptionsRestored;
}
