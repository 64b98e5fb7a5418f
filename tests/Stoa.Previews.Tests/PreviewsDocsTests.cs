using System.Net;
using Stoa.Previews.Extraction;

namespace Stoa.Previews.Tests;

/// <summary>docs/previews.md prints the precedence of every field; it must be the code's.</summary>
public sealed class PreviewsDocsTests
{
    [Fact]
    public void The_documented_precedence_is_the_codes()
    {
        var documented = DocumentedPrecedence();
        foreach (var (field, order) in Sources.Order)
        {
            var name = FieldName(field);
            documented.ShouldContainKey(name);
            documented[name].ShouldBe(string.Join(" → ", order), $"docs/previews.md lists {name} in another order than Extraction/Sources.cs");
        }

        documented.Count.ShouldBe(Sources.Order.Count);
    }

    private static string FieldName(CardField field) => field switch
    {
        CardField.SiteName => "siteName",
        CardField.ThemeColor => "themeColor",
        _ => field.ToString().ToLowerInvariant(),
    };

    private static Dictionary<string, string> DocumentedPrecedence()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "previews.md"));
        var start = text.IndexOf("<!-- precedence:start -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- precedence:end -->", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0);
        var lines = text[start..end].Split('\n').Where(l => l.StartsWith("- **", StringComparison.Ordinal));
        return lines.ToDictionary(
            l => l[4..l.IndexOf("**:", 4, StringComparison.Ordinal)],
            l => WebUtility.HtmlDecode(l[(l.IndexOf("**:", StringComparison.Ordinal) + 3)..].Trim()));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Stoa.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Stoa.sln not found above " + AppContext.BaseDirectory);
    }
}
