namespace Stoa.Docs.Relay;

/// <summary>One local subscriber of a document (a WebSocket), fed by its <see cref="DocChannel"/> in version order.</summary>
internal interface IDocListener
{
    /// <summary>The client id whose committed ops reach this listener as acks instead of ops.</summary>
    string ClientId { get; }

    /// <summary>The last version this listener was sent; maintained by the channel.</summary>
    long After { get; set; }

    /// <summary>Queues a message without waiting; false when the listener cannot keep up (the channel then drops it).</summary>
    bool TryEnqueue(ReadOnlyMemory<byte> message);
}
