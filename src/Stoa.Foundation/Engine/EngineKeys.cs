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

    // ':' inside a part would let "a:b" + "c" collide with "a" + "b:c"; braces would let an id choose the key's hash
    // slot on a Redis Cluster (and pile a tenant's keys onto one shard).
    private static string Escape(string part) => part
        .Replace("%", "%25", StringComparison.Ordinal)
        .Replace(":", "%3A", StringComparison.Ordinal)
        .Replace("{", "%7B", StringComparison.Ordinal)
        .Replace("}", "%7D", StringComparison.Ordinal);
}
