using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.Json;

/// <summary>
/// Every string a request body holds. PostgreSQL's text cannot hold U+0000 and refuses it (22021), while SQLite stores
/// it; refusing it here, before any store sees it, gives both stores the same answer: 400 <c>invalid_character</c>.
/// A lone surrogate (<c>"\ud800"</c>) is not text either; the reader refuses it and the body is <c>invalid_json</c>.
/// </summary>
internal sealed class TextConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0', StringComparison.Ordinal) ? throw NulRefused() : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    // Dictionary keys are strings too: without these two, System.Text.Json refuses to read or write any
    // Dictionary<string, …> with these options (the /readyz report of a node running only docs and quotes was a 500).
    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Read(ref reader, typeToConvert, options)!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    public static ApiException NulRefused() =>
        new(400, FoundationErrors.InvalidCharacter, "Text may not contain the NUL character (U+0000).");
}
