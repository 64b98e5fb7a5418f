using System.Globalization;
using System.Net;
using System.Text.Json;
using Stoa.Foundation.Json;
using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>Reads an oEmbed JSON answer (oembed.com): type, title, author, provider, thumbnail, html, photo url.</summary>
internal static class OEmbedExtractor
{
    private const int MaxHtml = 20_000;

    public static OEmbedDocument? Parse(ReadOnlySpan<byte> json, Uri endpoint)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
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

            var type = String(root, "type")?.Trim().ToLowerInvariant();
            var title = Text(root, "title");
            var candidates = new CandidateList();
            candidates.Add(CardField.Title, Sources.OEmbedTitle, title);
            candidates.Add(CardField.Author, Sources.OEmbedAuthor, Text(root, "author_name"));
            candidates.Add(CardField.SiteName, Sources.OEmbedProvider, Text(root, "provider_name"));
            candidates.Add(CardField.Type, Sources.OEmbedType, type switch
            {
                "video" => "video",
                "photo" => "image",
                _ => null,
            });

            if (type == "photo" && PageContext.ResolveAgainst(endpoint, String(root, "url")) is { } photo)
            {
                candidates.Add(Sources.OEmbedImage, new LinkImage(photo, Int(root, "width"), Int(root, "height"), title));
            }

            if (PageContext.ResolveAgainst(endpoint, String(root, "thumbnail_url")) is { } thumbnail)
            {
                candidates.Add(Sources.OEmbedImage, new LinkImage(thumbnail, Int(root, "thumbnail_width"), Int(root, "thumbnail_height")));
            }

            // Only video and rich types carry markup meant for embedding; it stays upstream-controlled HTML.
            var html = type is "video" or "rich" ? String(root, "html") : null;
            var embed = new LinkEmbed
            {
                Type = type,
                ProviderName = TextNormalizer.Clean(Text(root, "provider_name"), TextNormalizer.MaxShort),
                ProviderUrl = PageContext.ResolveAgainst(endpoint, String(root, "provider_url")),
                Html = html is { Length: > 0 and <= MaxHtml } ? html : null,
                Width = Int(root, "width"),
                Height = Int(root, "height"),
            };
            return new OEmbedDocument(candidates, embed);
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A text field: JSON never went through an HTML parser, and providers (WordPress among them) send entities.</summary>
    private static string? Text(JsonElement root, string name) => String(root, name) is { } text && text.Contains('&') ? WebUtility.HtmlDecode(text) : String(root, name);

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
