namespace Stoa.Client;

/// <summary>How a <see cref="DocSession"/> reaches the server.</summary>
public sealed class DocSessionOptions
{
    /// <summary>
    /// The server's base address (<c>http://host:port/</c>), asked again before every (re)connect, so a client can move
    /// to another node when one goes away.
    /// </summary>
    public required Func<Uri> ServerAddress { get; init; }

    /// <summary>The app's public API key (<c>X-Api-Key</c>).</summary>
    public required string ApiKey { get; init; }

    /// <summary>The user's token, asked again before every (re)connect so that it can be refreshed.</summary>
    public required Func<string> AccessToken { get; init; }

    /// <summary>This session's id in acks and presence; random when not set. Resent ops are recognised by it.</summary>
    public string? ClientId { get; init; }

    /// <summary>First wait before reconnecting; doubles up to <see cref="MaxReconnectDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);
}
