using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Stoa.Ot;

/// <summary>
/// JSON strings with only the escapes JSON requires (quote, backslash, control characters). System.Text.Json's
/// encoders, even the relaxed one, write every character outside the Basic Multilingual Plane as a pair of <c>\u</c>
/// escapes: 12 bytes for an emoji that is 4 in UTF-8, which tripled the op log of emoji-heavy documents.
/// </summary>
public static class CompactJson
{
    /// <summary>Writes <paramref name="text"/> (valid UTF-16: no lone surrogate) as a JSON string value.</summary>
    public static void WriteStringValue(Utf8JsonWriter writer, string text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(text);
        var rented = ArrayPool<byte>.Shared.Rent(MaxBytes(text));
        try
        {
            var length = Escape(text, rented);
            writer.WriteRawValue(rented.AsSpan(0, length), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes a property whose value is <paramref name="text"/>, as <see cref="WriteStringValue"/> does.</summary>
    public static void WriteString(Utf8JsonWriter writer, ReadOnlySpan<byte> propertyName, string text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(propertyName);
        WriteStringValue(writer, text);
    }

    // Quotes, and at most 6 bytes (\u001f) per UTF-16 unit; UTF-8 needs at most 3 per unit.
    private static int MaxBytes(string text) => 2 + (text.Length * 6);

    private static int Escape(string text, byte[] output)
    {
        var at = 0;
        output[at++] = (byte)'"';
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                continue;
            }

            at += Encoding.UTF8.GetBytes(text.AsSpan(start, i - start), output.AsSpan(at));
            output[at++] = (byte)'\\';
            switch (c)
            {
                case '"' or '\\':
                    output[at++] = (byte)c;
                    break;
                case '\n':
                    output[at++] = (byte)'n';
                    break;
                case '\r':
                    output[at++] = (byte)'r';
                    break;
                case '\t':
                    output[at++] = (byte)'t';
                    break;
                default:
                    output[at++] = (byte)'u';
                    output[at++] = (byte)'0';
                    output[at++] = (byte)'0';
                    output[at++] = (byte)"0123456789abcdef"[c >> 4];
                    output[at++] = (byte)"0123456789abcdef"[c & 0xF];
                    break;
            }

            start = i + 1;
        }

        at += Encoding.UTF8.GetBytes(text.AsSpan(start), output.AsSpan(at));
        output[at++] = (byte)'"';
        return at;
    }
}
