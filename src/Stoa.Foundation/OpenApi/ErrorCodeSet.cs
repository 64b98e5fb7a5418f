namespace Stoa.Foundation.OpenApi;

/// <summary>Error codes per HTTP status, sorted so that the document is the same from one build to the next.</summary>
internal sealed class ErrorCodeSet
{
    private readonly SortedDictionary<int, SortedSet<string>> _codes = [];

    public IEnumerable<KeyValuePair<int, SortedSet<string>>> ByStatus => _codes;

    public void Add(int status, params IEnumerable<string> codes)
    {
        if (!_codes.TryGetValue(status, out var set))
        {
            _codes[status] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        set.UnionWith(codes);
    }
}
