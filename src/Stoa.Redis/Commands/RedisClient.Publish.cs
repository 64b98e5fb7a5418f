using Stoa.Redis.Connection;

namespace Stoa.Redis;

public sealed partial class RedisClient
{
    /// <summary>PUBLISH; returns how many subscribers received the message (in cluster mode: those connected to the
    /// node it was sent to; the cluster bus carries it to the others, which is why sharded channels scale better).</summary>
    public ValueTask<long> PublishAsync(string channel, string message, CancellationToken cancellationToken = default)
        => PublishCoreAsync(sharded: false, channel, message, default, cancellationToken);

    /// <inheritdoc cref="PublishAsync(string, string, CancellationToken)"/>
    public ValueTask<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
        => PublishCoreAsync(sharded: false, channel, null, message, cancellationToken);

    /// <summary>SPUBLISH (Redis 7): publishes on a sharded channel, which lives in the slot of its name like a key; in
    /// cluster mode only the shard owning that slot carries the message. Returns how many subscribers received it.
    /// Subscribe with <see cref="RedisSubscriber.SSubscribeAsync"/>.</summary>
    public ValueTask<long> SPublishAsync(string channel, string message, CancellationToken cancellationToken = default)
        => PublishCoreAsync(sharded: true, channel, message, default, cancellationToken);

    /// <inheritdoc cref="SPublishAsync(string, string, CancellationToken)"/>
    public ValueTask<long> SPublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
        => PublishCoreAsync(sharded: true, channel, null, message, cancellationToken);

    private async ValueTask<long> PublishCoreAsync(bool sharded, string channel, string? text, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var operation = new RedisOperation();
        operation.Command(3).Arg(sharded ? "SPUBLISH"u8 : "PUBLISH"u8);
        if (sharded)
        {
            // A sharded channel routes like a key.
            operation.Key(channel);
        }
        else
        {
            operation.Arg(channel);
        }

        if (text is not null)
        {
            operation.Arg(text);
        }
        else
        {
            operation.Arg(bytes.Span);
        }

        return (await SendCheckedAsync(operation, cancellationToken)).AsInt64();
    }
}
