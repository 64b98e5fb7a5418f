namespace Stoa.Previews.Core;

/// <summary>
/// The card of a page as its site serves it now, no cache in between. Fetching implements it, with the network
/// rules (which addresses and ports may be reached, breakers per host, deadlines, size caps) kept out of Core.
/// </summary>
internal interface IPageCards
{
    /// <summary>Parses a URL as a client sent it.</summary>
    /// <exception cref="PreviewException"><see cref="PreviewErrors.InvalidUrl"/>: it is no absolute URL.</exception>
    Uri ParseUrl(string url);

    /// <summary>Fetches <paramref name="url"/> and builds its card.</summary>
    /// <exception cref="PreviewException">With a code from <see cref="PreviewErrors"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<PreviewResult> GetAsync(Uri url, CancellationToken cancellationToken);
}
