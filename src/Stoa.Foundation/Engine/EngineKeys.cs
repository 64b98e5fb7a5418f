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
            // ':' inside a part would let "a:b" + "c" collide with "a" + "b:c".
            key += ":" + part.Replace("%", "%25", StringComparison.Ordinal).Replace(":", "%3A", StringComparison.Ordinal);
        }

        return key;
    }
}
