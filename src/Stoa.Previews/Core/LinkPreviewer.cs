using Stoa.Foundation.Errors;

namespace Stoa.Previews.Core;

/// <summary>
/// The module's use case: a card for a URL, from the cache when possible. Failures are answers too: they are
/// cached briefly and turned into the stable error codes of <see cref="PreviewErrors"/>.
/// </summary>
internal sealed class LinkPreviewer(IPageCards pages, IPreviewCache cache, TimeProvider time) : ILinkCards
{
    public async Task<LinkCard> PreviewAsync(Guid appId, string url, bool refresh, CancellationToken cancellationToken)
    {
        var answer = await AnswerAsync(appId, url, refresh, cancellationToken);
        return answer.Card ?? throw ToApiException(answer);
    }

    /// <summary>The cached or fresh answer, success or failure, without throwing for upstream failures.</summary>
    public async Task<CachedPreview> AnswerAsync(Guid appId, string url, bool refresh, CancellationToken cancellationToken)
    {
        Uri parsed;
        try
        {
            parsed = pages.ParseUrl(url);
        }
        catch (PreviewException ex)
        {
            return Failure(ex);
        }

        return await cache.GetOrFetchAsync(appId, parsed, refresh, async ct =>
        {
            try
            {
                var result = await pages.GetAsync(parsed, ct);
                return (new CachedPreview(result.Card, null, null, null, time.GetUtcNow()), PreviewPolicy.TtlFor(result.UpstreamMaxAge));
            }
            catch (PreviewException ex)
            {
                // An open breaker is the host's state, not the URL's: do not remember it per URL.
                var ttl = ex.Code == PreviewErrors.UpstreamCircuitOpen ? TimeSpan.Zero : PreviewPolicy.FailureTtl;
                return (Failure(ex), ttl);
            }
        }, cancellationToken);
    }

    async Task<LinkCardPreview?> ILinkCards.PreviewAsync(Guid appId, Uri url, CancellationToken cancellationToken) =>
        (await AnswerAsync(appId, url.AbsoluteUri, refresh: false, cancellationToken)).Card is { } card
            ? new LinkCardPreview(card.Url, card.Title, card.Description, card.Images.FirstOrDefault()?.Url, card.SiteName)
            : null;

    private CachedPreview Failure(PreviewException ex) =>
        new(null, ex.Code, ex.Message, ex.UpstreamStatus, time.GetUtcNow()) { RetryAfter = ex.RetryAfter };

    public static ApiException ToApiException(CachedPreview answer)
    {
        var code = answer.ErrorCode ?? PreviewErrors.UpstreamUnreachable;
        var detail = answer.UpstreamStatus is { } status ? $"{answer.ErrorDetail} (upstream status {status})" : answer.ErrorDetail ?? "The page could not be previewed.";
        return new ApiException(PreviewErrors.HttpStatusOf(code), code, detail)
        {
            RetryAfterSeconds = answer.RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null,
        };
    }
}
