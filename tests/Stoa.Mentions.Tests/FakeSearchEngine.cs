using Stoa.Mentions;

namespace Stoa.Mentions.Tests;

/// <summary>An engine that answers with fixed results and remembers what it was asked.</summary>
internal sealed class FakeSearchEngine(params SearchResult[] results) : ISearchEngine
{
    public List<string> Queries { get; } = [];

    public static FakeSearchEngine WithLinks(params string[] urls) =>
        new([.. urls.Select((url, i) => new SearchResult(new Uri(url), $"result {i + 1}"))]);

    public Task<IReadOnlyList<SearchResult>> SearchAsync(string query, CancellationToken cancellationToken)
    {
        Queries.Add(query);
        return Task.FromResult<IReadOnlyList<SearchResult>>(results);
    }
}
