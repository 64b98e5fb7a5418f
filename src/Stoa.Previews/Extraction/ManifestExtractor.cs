using System.Text.Json;

namespace Stoa.Previews.Extraction;

/// <summary>
/// A web app manifest (<c>&lt;link rel="manifest"&gt;</c>): its largest icon is a logo, its name a site name. Icons meant
/// only for masking are passed over when another exists; an SVG ("any") wins.
/// </summary>
internal static class ManifestExtractor
{
    public static CandidateList? Parse(ReadOnlySpan<byte> json, Uri manifestUrl)
    {
        using var document = UpstreamJson.TryParseObject(json);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var candidates = new CandidateList();
        candidates.Add(CardField.SiteName, Sources.ManifestName, UpstreamJson.Text(root, "name") ?? UpstreamJson.Text(root, "short_name"));
        string? best = null;
        var bestScore = long.MinValue;
        if (root.TryGetProperty("icons", out var icons) && icons.ValueKind == JsonValueKind.Array)
        {
            foreach (var icon in icons.EnumerateArray().Take(64))
            {
                if (icon.ValueKind != JsonValueKind.Object || PageContext.ResolveAgainst(manifestUrl, UpstreamJson.Text(icon, "src")) is not { } url)
                {
                    continue;
                }

                var purpose = UpstreamJson.Text(icon, "purpose") ?? "any";
                var maskableOnly = !purpose.Contains("any", StringComparison.OrdinalIgnoreCase);

                // Size decides; an icon meant for masking only ranks below every other.
                var score = HtmlExtractor.LargestSize(UpstreamJson.Text(icon, "sizes")) - (maskableOnly ? (long)int.MaxValue + 1 : 0);
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
