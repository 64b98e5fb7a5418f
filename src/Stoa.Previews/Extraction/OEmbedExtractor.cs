using System.Globalization;
using System.Text.Json;
using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>Reads an oEmbed JSON answer (oembed.com): type, title, author, provider, thumbnail, html, photo url.</summary>
internal static class OEmbedExtractor
{
    private const int MaxHtml = 20_000;

    public static OEmbedDocument? Parse(ReadOnlySpan<byte> json, Uri endpoint)
    {
        using var document = UpstreamJson.TryParseObject(json);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var type = UpstreamJson.String(root, "type")?.Trim().ToLowerInvariant();
        var title = UpstreamJson.Text(root, "title");
        var candidates = new CandidateList();
        candidates.Add(CardField.Title, Sources.OEmbedTitle, title);
        candidates.Add(CardField.Author, Sources.OEmbedAuthor, UpstreamJson.Text(root, "author_name"));
        candidates.Add(CardField.SiteName, Sources.OEmbedProvider, UpstreamJson.Text(root, "provider_name"));
        candidates.Add(CardField.Type, Sources.OEmbedType, type switch
        {
            "video" => "video",
            "photo" => "image",
            _ => null,
        });

        if (type == "photo" && PageContext.ResolveAgainst(endpoint, UpstreamJson.String(root, "url")) is { } photo)
        {
            candidates.Add(Sources.OEmbedImage, new LinkImage(photo, Int(root, "width"), Int(root, "height"), title));
        }

        if (PageContext.ResolveAgainst(endpoint, UpstreamJson.String(root, "thumbnail_url")) is { } thumbnail)
        {
            candidates.Add(Sources.OEmbedImage, new LinkImage(thumbnail, Int(root, "thumbnail_width"), Int(root, "thumbnail_height")));
        }

        // Only video and rich types carry markup meant for embedding; it stays upstream-controlled HTML.
        var html = type is "video" or "rich" ? UpstreamJson.String(root, "html") : null;
        var embed = new LinkEmbed
        {
            Type = type,
            ProviderName = TextNormalizer.Clean(UpstreamJson.Text(root, "provider_name"), TextNormalizer.MaxShort),
            ProviderUrl = PageContext.ResolveAgainst(endpoint, UpstreamJson.String(root, "provider_url")),
            Html = html is { Length: > 0 and <= MaxHtml } ? html : null,
            Width = Int(root, "width"),
            Height = Int(root, "height"),
        };
        return new OEmbedDocument(candidates, embed);
    }

    private static int? Int(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var d) && d is > 0 and < 1_000_000 => (int)d,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var i) => i,
            _ => null,
        };
    }
}
