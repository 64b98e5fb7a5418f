using System.Text;
using System.Text.Json;
using Stoa.Previews.Tests;

namespace Stoa.Bench.Previews;

/// <summary>The card fixtures (tests/Stoa.Previews.Tests/Fixtures/cards), found from the repository root, as served bytes.</summary>
internal static class CardFixturePages
{
    static CardFixturePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static string Directory { get; } = Find();

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    /// <summary>The page's URL, the charset its header names, and its bytes embedded in <paramref name="kilobytes"/> KB of real-page weight.</summary>
    public static (Uri Url, string? HeaderCharset, byte[] Bytes) Load(string name, int kilobytes)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name + ".json")));
        var root = json.RootElement;
        var encodingName = root.TryGetProperty("bytesEncoding", out var e) ? e.GetString() : null;
        var encoding = encodingName is null ? new UTF8Encoding(false) : Encoding.GetEncoding(encodingName);
        var html = File.ReadAllText(Path.Combine(Directory, name + ".html"), Encoding.UTF8);
        return (new Uri(root.GetProperty("url").GetString()!), root.TryGetProperty("headerCharset", out var h) ? h.GetString() : null,
            encoding.GetBytes(RealisticPage.Embed(html, kilobytes)));
    }

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var cards = Path.Combine(directory.FullName, "tests", "Stoa.Previews.Tests", "Fixtures", "cards");
            if (System.IO.Directory.Exists(cards))
            {
                return cards;
            }
        }

        throw new DirectoryNotFoundException("tests/Stoa.Previews.Tests/Fixtures/cards not found above " + AppContext.BaseDirectory);
    }
}
