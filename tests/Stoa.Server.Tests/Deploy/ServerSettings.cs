using System.Reflection;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// The server's real settings: the schema start-up checks configuration against (read by reflection from the options
/// classes the host and the modules bind), so that manifests and docs are checked against the code rather than
/// against a list kept by hand.
/// </summary>
internal static class ServerSettings
{
    /// <summary>Sections declared in code (a <c>const string Section</c> starting with "Stoa") by the server's assemblies.</summary>
    public static IEnumerable<string> DeclaredSections() =>
        typeof(Program).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("Stoa.", StringComparison.Ordinal))
            .Select(Assembly.Load)
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f is { IsLiteral: true, Name: "Section" } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(s => s.StartsWith("Stoa", StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every leaf setting as a configuration key (<c>Stoa:RateLimits:Policies:*:Capacity</c>).</summary>
    public static IReadOnlyList<string> LeafKeys() => ModuleCatalog.Settings.LeafKeys();

    /// <summary>Whether a configuration key (<c>Stoa:Previews:AllowedPorts:0</c>) names a leaf setting the code binds.</summary>
    public static bool IsLeaf(string key, out string reason) => ModuleCatalog.Settings.IsLeaf(key, out reason);

    /// <summary>An environment variable name (<c>Stoa__Previews__Timeout</c>) as a configuration key.</summary>
    public static string KeyOf(string environmentName) => environmentName.Replace("__", ":", StringComparison.Ordinal);
}
