namespace Stoa.Previews.Core;

/// <summary>A cached answer for one URL: the card, or the failure (negative caching).</summary>
internal sealed record CachedPreview(LinkCard? Card, string? ErrorCode, string? ErrorDetail, int? UpstreamStatus, DateTimeOffset FetchedAt)
{
    /// <summary>For an open circuit: when the host may be tried again.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>Previews already fetched, shared by every node through the engine.</summary>
internal interface IPreviewCache
{
    /// <summary>
    /// The cached answer for <paramref name="url"/>, or the result of <paramref name="fetch"/>, computed once per
    /// URL at a time across nodes when possible; <paramref name="refresh"/> skips the cached answer.
    /// </summary>
    Task<CachedPreview> GetOrFetchAsync(Guid appId, Uri url, bool refresh, Func<CancellationToken, Task<(CachedPreview Answer, TimeSpan Ttl)>> fetch,
        CancellationToken cancellationToken);
}
