namespace Stoa.Mentions;

/// <summary>The answer to "does a result link to the domain?", with the first matching result when there is one.</summary>
internal sealed record Mention(bool Found, SearchResult? Match, int ResultCount);

/// <summary>
/// Runs a search and decides whether any result links to a domain. Only link hosts count: a domain named in a title
/// or a snippet is a mention of the words, not a result that leads to the site.
/// </summary>
internal sealed class MentionFinder(ISearchEngine engine)
{
    /// <exception cref="ArgumentException"><paramref name="domain"/> is not a host name.</exception>
    public async Task<Mention> FindAsync(string query, string domain, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        if (!HostNames.TryNormalizeDomain(domain, out var normalized))
        {
            throw new ArgumentException($"'{domain}' is not a host name such as getstream.io.", nameof(domain));
        }

        var results = await engine.SearchAsync(query, cancellationToken);
        foreach (var result in results)
        {
            if (IsWebLink(result.Url) && HostNames.HostOf(result.Url) is { } host && HostNames.IsSameOrSubdomain(host, normalized))
            {
                return new Mention(true, result, results.Count);
            }
        }

        return new Mention(false, null, results.Count);
    }

    private static bool IsWebLink(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}
