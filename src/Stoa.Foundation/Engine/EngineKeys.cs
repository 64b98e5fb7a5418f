namespace Stoa.Foundation.Engine;

/// <summary>
/// Engine keys and channels always start with the app id, so one app can never read or overwrite another's entries
/// however its ids are chosen: <c>{appId}:{module}:{part}:{part}</c>.
/// </summary>
public static class EngineKeys
{
    public static string For(Guid appId, string module, params ReadOnlySpan<string> parts)
    {
        var key = $"{appId:N}:{module}";
        foreach (var part in parts)
        {
            key += ":" + Escape(part);
        }

        return key;
    }

    /// <summary>
    /// A key of a group that one script touches together. On a Redis Cluster a script's keys must hash to one slot,
    /// and Redis hashes only the first part in braces: here the app, the module and the group, so each group's keys
    /// share a shard while different groups (users, threads) spread over all of them.
    /// <c>{{appId}:{module}:{group}}:{part}</c>.
    /// </summary>
    public static string Grouped(Guid appId, string module, string group, params ReadOnlySpan<string> parts)
    {
        var key = "{" + For(appId, module, group) + "}";
        foreach (var part in parts)
        {
            key += ":" + Escape(part);
        }

        return key;
    }

    /// <summary>
    /// The module a key or topic belongs to: the part after its app id, in a plain key or a grouped one; empty for a
    /// string made some other way. For telling metrics and spans apart by module without a label per key.
    /// </summary>
    public static ReadOnlySpan<char> ModuleOf(string key)
    {
        const int AppIdLength = 32;
        var span = key.AsSpan();
        if (span.StartsWith('{'))
        {
            span = span[1..];
        }

        if (span.Length <= AppIdLength + 1 || span[AppIdLength] != ':')
        {
            return [];
        }

        var rest = span[(AppIdLength + 1)..];
        var end = rest.IndexOfAny(':', '}');
        return end < 0 ? rest : rest[..end];
    }

    // ':' inside a part would let "a:b" + "c" collide with "a" + "b:c"; braces would let an id choose the key's hash
    // slot on a Redis Cluster (and pile a tenant's keys onto one shard).
    private static string Escape(string part) => part
        .Replace("%", "%25", StringComparison.Ordinal)
        .Replace(":", "%3A", StringComparison.Ordinal)
        .Replace("{", "%7B", StringComparison.Ordinal)
        .Replace("}", "%7D", StringComparison.Ordinal);
}
