using System.Net;
using System.Text.Json;
using Stoa.Foundation.Json;

namespace Stoa.Previews.Extraction;

/// <summary>JSON a site serves (an oEmbed answer, a web app manifest), read as leniently as sites write it.</summary>
internal static class UpstreamJson
{
    /// <summary>
    /// The document when it is a JSON object, else null: not JSON, or an array or a value, which no site means.
    /// Trailing commas and comments are allowed; a lone surrogate escape is not (<see cref="JsonText"/>): it would throw
    /// from a later GetString, as a 500.
    /// </summary>
    public static JsonDocument? TryParseObject(ReadOnlySpan<byte> json)
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

        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return document;
        }

        document.Dispose();
        return null;
    }

    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A text field: JSON never went through an HTML parser, and sites (WordPress among them) send entities.</summary>
    public static string? Text(JsonElement element, string name) =>
        String(element, name) is { } text ? text.Contains('&') ? WebUtility.HtmlDecode(text) : text : null;
}
