namespace Stoa.Testing;

/// <summary>Settings of a test's app: a factory's defaults, with what the test passes added or taking their place.</summary>
public static class TestSettings
{
    public static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> defaults, IReadOnlyDictionary<string, string?>? settings)
    {
        var merged = new Dictionary<string, string?>(defaults, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        return merged;
    }
}
