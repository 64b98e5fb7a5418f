using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Stoa.Ot;

/// <summary>
/// Reads and writes the ot-text-unicode JSON form. Reading is strict about types and values and funnels every failure
/// (including System.Text.Json's own) into <see cref="OtException"/>, because the server feeds it untrusted input.
/// </summary>
internal static class TextOpJson
{
    // An op is an array of scalars and {"d": scalar} objects: depth 2. A little slack, then the reader stops hostile
    // nesting long before it costs anything.
    private const int MaxDepth = 4;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        // Readable non-ASCII text; the output is a JSON value, never embedded raw in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TextOp Parse(string json)
    {
        byte[] bytes;
        try
        {
            bytes = s_strictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException e)
        {
            throw new OtException("Invalid text op: the JSON text contains a lone surrogate.", e);
        }

        return Parse(bytes);
    }

    public static TextOp Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read())
            {
                throw OtException.Malformed("the JSON text is empty.");
            }

            TextOp op = Read(ref reader);
            if (reader.Read())
            {
                throw OtException.Malformed("unexpected JSON after the op's closing bracket.");
            }

            return op;
        }
        catch (JsonException e)
        {
            throw new OtException($"Invalid text op: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>Reads one op; the reader is on its first token and ends on its closing bracket.</summary>
    public static TextOp Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw OtException.Malformed($"an op must be a JSON array of components, not {Describe(reader.TokenType)}.");
        }

        var builder = new OpBuilder();
        for (int index = 0; ; index++)
        {
            if (!reader.Read())
            {
                throw OtException.Malformed("the JSON array is not closed.");
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    return builder.Build();
                case JsonTokenType.Number:
                    builder.Append(TextOpComponent.Unchecked(TextOpComponentKind.Skip, ReadCount(ref reader, index, "a skip"), null));
                    break;
                case JsonTokenType.String:
                    builder.Append(Text(ReadString(ref reader, index), index, TextOpComponentKind.Insert));
                    break;
                case JsonTokenType.StartObject:
                    builder.Append(ReadDelete(ref reader, index));
                    break;
                default:
                    throw BadComponent(index, Describe(reader.TokenType));
            }
        }
    }

    public static TextOp Parse(JsonElement json)
    {
        try
        {
            if (json.ValueKind != JsonValueKind.Array)
            {
                throw OtException.Malformed($"an op must be a JSON array of components, not {Describe(json.ValueKind)}.");
            }

            var builder = new OpBuilder(json.GetArrayLength());
            int index = 0;
            foreach (JsonElement item in json.EnumerateArray())
            {
                builder.Append(item.ValueKind switch
                {
                    JsonValueKind.Number => TextOpComponent.Unchecked(TextOpComponentKind.Skip, Count(item, index, "a skip"), null),
                    JsonValueKind.String => Text(GetString(item, index), index, TextOpComponentKind.Insert),
                    JsonValueKind.Object => ReadDelete(item, index),
                    _ => throw BadComponent(index, Describe(item.ValueKind)),
                });
                index++;
            }

            return builder.Build();
        }
        catch (InvalidOperationException e)
        {
            // default(JsonElement) and similar misuse: still the caller's bad input, reported uniformly.
            throw new OtException($"Invalid text op: {e.Message}", e);
        }
    }

    public static void Write(Utf8JsonWriter writer, TextOp op)
    {
        writer.WriteStartArray();
        foreach (TextOpComponent component in op.Span)
        {
            switch (component.Kind)
            {
                case TextOpComponentKind.Skip:
                    writer.WriteNumberValue(component.Length);
                    break;
                case TextOpComponentKind.Insert:
                    CompactJson.WriteStringValue(writer, component.Text!);
                    break;
                default:
                    writer.WriteStartObject();
                    if (component.Text is null)
                    {
                        writer.WriteNumber("d"u8, component.Length);
                    }
                    else
                    {
                        CompactJson.WriteString(writer, "d"u8, component.Text);
                    }

                    writer.WriteEndObject();
                    break;
            }
        }

        writer.WriteEndArray();
    }

    public static string ToJson(TextOp op)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + (op.Count * 8));
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            Write(writer, op);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Quote(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 2);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStringValue(text);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static TextOpComponent ReadDelete(ref Utf8JsonReader reader, int index)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("d"u8))
        {
            throw BadDelete(index);
        }

        reader.Read();
        TextOpComponent component = reader.TokenType switch
        {
            JsonTokenType.Number => TextOpComponent.Unchecked(TextOpComponentKind.Delete, ReadCount(ref reader, index, "a delete"), null),
            JsonTokenType.String => Text(ReadString(ref reader, index), index, TextOpComponentKind.Delete),
            _ => throw OtException.Malformed(index, $"a delete's \"d\" must be a positive integer or a non-empty string, not {Describe(reader.TokenType)}."),
        };

        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            throw BadDelete(index);
        }

        return component;
    }

    private static TextOpComponent ReadDelete(JsonElement item, int index)
    {
        JsonElement value = default;
        int properties = 0;
        foreach (JsonProperty property in item.EnumerateObject())
        {
            if (++properties > 1 || !property.NameEquals("d"u8))
            {
                throw BadDelete(index);
            }

            value = property.Value;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => TextOpComponent.Unchecked(TextOpComponentKind.Delete, Count(value, index, "a delete"), null),
            JsonValueKind.String => Text(GetString(value, index), index, TextOpComponentKind.Delete),
            JsonValueKind.Undefined => throw BadDelete(index),
            _ => throw OtException.Malformed(index, $"a delete's \"d\" must be a positive integer or a non-empty string, not {Describe(value.ValueKind)}."),
        };
    }

    private static int ReadCount(ref Utf8JsonReader reader, int index, string what)
    {
        if (reader.TryGetInt64(out long value))
        {
            return CheckCount(value, index, what);
        }

        return reader.TryGetDouble(out double real) ? CheckCount(real, index, what) : throw TooLarge(index, what);
    }

    private static int Count(JsonElement item, int index, string what)
    {
        if (item.TryGetInt64(out long value))
        {
            return CheckCount(value, index, what);
        }

        return item.TryGetDouble(out double real) ? CheckCount(real, index, what) : throw TooLarge(index, what);
    }

    private static int CheckCount(long value, int index, string what)
    {
        if (value <= 0)
        {
            throw OtException.Malformed(index, $"{what} must be a positive integer (code points), got {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value <= int.MaxValue ? (int)value : throw TooLarge(index, what);
    }

    // JSON allows 3.0 and 3e2 for integers (and JavaScript cannot tell 3.0 from 3), so integral reals pass.
    private static int CheckCount(double value, int index, string what)
    {
        if (value > int.MaxValue)
        {
            throw TooLarge(index, what);
        }

        if (value != Math.Floor(value) || !double.IsFinite(value))
        {
            throw OtException.Malformed(index, $"{what} must be a whole number of code points, got {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return CheckCount((long)value, index, what);
    }

    private static string ReadString(ref Utf8JsonReader reader, int index)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json refuses invalid UTF-8 and escaped lone surrogates ("\ud800") here.
            throw new OtException($"Invalid text op: component {index}: the string is not valid Unicode text ({e.Message})", e);
        }
    }

    private static string GetString(JsonElement item, int index)
    {
        try
        {
            return item.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new OtException($"Invalid text op: component {index}: the string is not valid Unicode text ({e.Message})", e);
        }
    }

    private static TextOpComponent Text(string text, int index, TextOpComponentKind kind)
    {
        string what = kind == TextOpComponentKind.Insert ? "an insert" : "a delete's text";
        if (text.Length == 0)
        {
            throw OtException.Malformed(index, $"{what} must not be empty.");
        }

        int length = CodePoints.CountIfValid(text);
        if (length < 0)
        {
            throw OtException.Malformed(index, $"{what} contains a lone surrogate (not valid Unicode text).");
        }

        return TextOpComponent.Unchecked(kind, length, text);
    }

    private static OtException TooLarge(int index, string what)
        => OtException.Malformed(index, $"{what} must be at most {int.MaxValue} code points.");

    private static OtException BadComponent(int index, string found)
        => OtException.Malformed(index, $"a component must be a positive integer (skip), a non-empty string (insert) or {{\"d\": …}} (delete), not {found}.");

    private static OtException BadDelete(int index)
        => OtException.Malformed(index, "a delete must be an object with exactly one property, \"d\".");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
