using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stoa.Ot;

/// <summary>
/// System.Text.Json converter for <see cref="TextOp"/> (applied by an attribute on the type). A malformed op surfaces
/// as a <see cref="JsonException"/> whose inner exception is the <see cref="OtException"/>, because that is what
/// serializers and ASP.NET Core treat as a bad request body rather than a server error.
/// </summary>
public sealed class TextOpJsonConverter : JsonConverter<TextOp>
{
    /// <inheritdoc/>
    public override TextOp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return TextOpJson.Read(ref reader);
        }
        catch (OtException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TextOp value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        TextOpJson.Write(writer, value);
    }
}
