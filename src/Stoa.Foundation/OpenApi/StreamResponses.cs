using Microsoft.AspNetCore.Builder;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// Endpoint metadata for a stream: what a successful answer is (<c>200</c> with Server-Sent Events, <c>101</c> for a
/// WebSocket upgrade), its media type, and its messages in words, each message's JSON named by <see cref="MessageTypes"/>
/// (listed as components so that generated clients have their types).
/// </summary>
public sealed record StreamResponseMetadata(int Status, string? MediaType, string Description, IReadOnlyList<Type> MessageTypes);

public static class StreamResponseConventions
{
    /// <summary>The endpoint answers a Server-Sent Events stream whose events carry <paramref name="messageTypes"/> as JSON.</summary>
    public static TBuilder ProducesEventStream<TBuilder>(this TBuilder builder, string description, params Type[] messageTypes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new StreamResponseMetadata(200, "text/event-stream", description, messageTypes));

    /// <summary>The endpoint is a WebSocket: a successful answer is the 101 upgrade, then the messages of <paramref name="description"/>.</summary>
    public static TBuilder ProducesWebSocket<TBuilder>(this TBuilder builder, string description, params Type[] messageTypes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new StreamResponseMetadata(101, null, description, messageTypes));
}
