namespace Stoa.Mentions;

/// <summary>A web search engine seen as a list of result links, so the matching logic never depends on one engine's markup.</summary>
internal interface ISearchEngine
{
    /// <summary>
    /// The organic results of the first page for <paramref name="query"/>, in page order, with redirect wrappers removed.
    /// An empty list means the engine answered and found nothing; a failure throws <see cref="SearchEngineException"/>.
    /// </summary>
    Task<IReadOnlyList<SearchResult>> SearchAsync(string query, CancellationToken cancellationToken);
}

/// <summary>One result link: the absolute http(s) address it leads to and its visible title.</summary>
internal sealed record SearchResult(Uri Url, string Title);
