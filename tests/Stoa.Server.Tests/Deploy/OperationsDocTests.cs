using System.Text.RegularExpressions;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// docs/operations.md lists every setting (a cheap guard against drift): a settable property added to an options class
/// fails here until the table names it, and a documented key that the code does not bind fails too.
/// </summary>
public sealed partial class OperationsDocTests
{
    private static readonly string s_doc = RepoFiles.Read("docs", "operations.md");

    [Fact]
    public void Every_setting_the_code_binds_is_in_the_table()
    {
        var documented = DocumentedKeys().Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = ServerSettings.LeafKeys().Where(k => !documented.Contains(k)).ToList();
        missing.ShouldBeEmpty("add these settings to the table in docs/operations.md (write a dictionary key as <name>)");
    }

    [Fact]
    public void Every_documented_key_is_a_setting_or_section_the_code_binds()
    {
        var leaves = ServerSettings.LeafKeys();
        foreach (var key in DocumentedKeys().Distinct(StringComparer.Ordinal))
        {
            var concrete = AnyName().Replace(key, "x");
            var isSection = leaves.Any(l => l.StartsWith(Normalize(key) + ":", StringComparison.OrdinalIgnoreCase));
            (isSection || ServerSettings.IsLeaf(concrete, out _)).ShouldBeTrue($"docs/operations.md names {key}, which the code does not bind");
        }
    }

    [Fact]
    public void Every_section_the_code_declares_is_checked()
    {
        var leaves = ServerSettings.LeafKeys();
        foreach (var section in ServerSettings.DeclaredSections())
        {
            leaves.ShouldContain(l => l.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase),
                $"{section} is bound by the code but unknown to ModuleCatalog.Settings (each module declares its Settings)");
        }
    }

    /// <summary>Keys written as <c>Stoa:A:B</c> or <c>Stoa__A__B</c>, in configuration form.</summary>
    private static IEnumerable<string> DocumentedKeys() =>
        KeyPattern().Matches(s_doc).Select(m => ServerSettings.KeyOf(m.Value).TrimEnd(':'));

    private static string Normalize(string key) => AnyName().Replace(key, "*");

    [GeneratedRegex(@"\bStoa(?:(?::|__)[A-Za-z<][A-Za-z0-9_<>*-]*)+")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"<[^>:]+>")]
    private static partial Regex AnyName();
}
