using System.Text;
using System.Text.Json;

namespace Stoa.Foundation.Json;

/// <summary>
/// JSON that a client or an upstream page wrote. <see cref="JsonDocument"/> accepts escapes that are not text (a lone
/// surrogate such as <c>"\ud800"</c>), and reading one later throws <see cref="InvalidOperationException"/> from
/// <c>GetString</c>, <c>TryGetProperty</c> or a comparison, deep inside code that expects only <see cref="JsonException"/>.
/// Parsing through here refuses such a document up front with a <see cref="JsonException"/>, so every reader of it is
/// safe and the failure is the caller's ordinary "not valid JSON" answer.
/// </summary>
public static class JsonText
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options = default)
    {
        var probe = new Utf8JsonReader(utf8.Span, new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.CommentHandling,
            MaxDepth = options.MaxDepth,
        });
        EnsureText(ref probe);
        return JsonDocument.Parse(utf8, options);
    }

    public static JsonDocument Parse(string json, JsonDocumentOptions options = default) =>
        Parse(Encoding.UTF8.GetBytes(json), options);

    /// <summary>As <see cref="JsonDocument.ParseValue"/>: the next value of <paramref name="reader"/>.</summary>
    public static JsonDocument ParseValue(ref Utf8JsonReader reader)
    {
        // A copy of the reader scans ahead; the caller's reader stays where it was for the parse itself.
        var probe = reader;
        EnsureText(ref probe);
        return JsonDocument.ParseValue(ref reader);
    }

    /// <summary>Reads one value and throws <see cref="JsonException"/> when an escaped string or name is not valid UTF-16.</summary>
    private static void EnsureText(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            // Unescaped strings were already checked as UTF-8 by the reader; only escapes can name a lone surrogate.
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException ex)
                {
                    throw new JsonException("A string in the document is not valid text (a lone surrogate escape).", ex);
                }
            }

            if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName))
            {
                return;
            }
        }
    }
}
