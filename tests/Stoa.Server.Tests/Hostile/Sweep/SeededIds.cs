using System.Collections.Concurrent;

namespace Stoa.HostileSweep;

/// <summary>
/// Ids of resources the sweep created, per collection (<c>/v1/docs</c>, <c>/v1/comments</c>…), for its own app and for
/// the other app: own ids let cases reach past the lookup, the other app's ids test tenant isolation.
/// </summary>
public sealed class SeededIds
{
    private readonly ConcurrentDictionary<string, Guid> _own = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Guid> _other = new(StringComparer.Ordinal);

    public Guid? AnyOther => _other.Values.Cast<Guid?>().FirstOrDefault();

    public int Count => _own.Count + _other.Count;

    /// <summary>Records the id in a <c>Location</c> such as <c>/v1/docs/{guid}</c>.</summary>
    public void Add(bool own, string location)
    {
        var slash = location.TrimEnd('/').LastIndexOf('/');
        if (slash > 0 && Guid.TryParse(location[(slash + 1)..], out var id))
        {
            var collection = new Uri(new Uri("http://x"), location[..slash]).AbsolutePath;
            (own ? _own : _other).TryAdd(collection, id);
        }
    }

    public Guid? Own(string pathTemplate, string parameter) => Find(_own, pathTemplate, parameter);

    public Guid? Other(string pathTemplate, string parameter) => Find(_other, pathTemplate, parameter);

    private static Guid? Find(ConcurrentDictionary<string, Guid> ids, string pathTemplate, string parameter)
    {
        var at = pathTemplate.IndexOf("/{" + parameter + "}", StringComparison.Ordinal);
        return at > 0 && ids.TryGetValue(pathTemplate[..at], out var id) ? id : null;
    }
}
