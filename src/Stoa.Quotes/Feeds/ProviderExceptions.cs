namespace Stoa.Quotes.Feeds;

/// <summary>The provider answered, but not with a usable quote.</summary>
internal class ProviderException(string message) : Exception(message);

/// <summary>429: the provider asks us to slow down (retried after its Retry-After, within bounds).</summary>
internal sealed class ProviderThrottledException(TimeSpan? retryAfter)
    : ProviderException("The quote provider answered 429 Too Many Requests.")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>5xx: the provider is failing (retried).</summary>
internal sealed class ProviderUnavailableException(int status)
    : ProviderException($"The quote provider answered {status}.");

/// <summary>Another non-2xx, or a body that is not the configured JSON (not retried: the same request would fail the same way).</summary>
internal sealed class ProviderGarbageException(string message) : ProviderException(message);
