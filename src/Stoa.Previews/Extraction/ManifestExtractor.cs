using System.Net;
using System.Text.Json;
using Stoa.Foundation.Json;

namespace Stoa.Previews.Extraction;

/// <summary>
/// A web app manifest (<c>&lt;link rel="manifest"&gt;</c>): its largest icon is a logo, its name a site name. Icons meant
/// only for masking are passed over when another exists; an SVG ("any") wins.
/// </summary>
internal static class ManifestExtractor
{
    public static CandidateList? Parse(ReadOnlySpan<byte> json, Uri manifestUrl)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            // A lone surrogate escape would throw from GetString later, as a 500: JsonText refuses it here.
            document = JsonText.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var candidates = new CandidateList();
            candidates.Add(CardField.SiteName, Sources.ManifestName, Text(root, "name") ?? Text(root, "short_name"));
            string? best = null;
            var bestScore = long.MinValue;
            if (root.TryGetProperty("icons", out var icons) && icons.ValueKind == JsonValueKind.Array)
            {
                foreach (var icon in icons.EnumerateArray().Take(64))
                {
                    if (icon.ValueKind != JsonValueKind.Object || PageContext.ResolveAgainst(manifestUrl, Text(icon, "src")) is not { } url)
                    {
                        continue;
                    }

                    var purpose = Text(icon, "purpose") ?? "any";
                    var maskableOnly = !purpose.Contains("any", StringComparison.OrdinalIgnoreCase);

                    // Size decides; an icon meant for masking only ranks below every other.
                    var score = HtmlExtractor.LargestSize(Text(icon, "sizes")) - (maskableOnly ? (long)int.MaxValue + 1 : 0);
                    if (score > bestScore)
                    {
                        (best, bestScore) = (url, score);
                    }
                }
            }

            candidates.Add(CardField.Logo, Sources.ManifestIcon, best);
            return candidates;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text
            ? text.Contains('&') ? WebUtility.HtmlDecode(text) : text
            : null;
}
