namespace Stoa.Ot;

/// <summary>
/// One step of a text op: skip (retain), insert or delete, with its length in code points computed once, so
/// transform and compose never recount it.
/// </summary>
public readonly struct TextOpComponent : IEquatable<TextOpComponent>
{
    private TextOpComponent(TextOpComponentKind kind, int length, string? text)
    {
        Kind = kind;
        Length = length;
        Text = text;
    }

    /// <summary>Skip, insert or delete (<see cref="TextOpComponentKind.None"/> only for <c>default</c>).</summary>
    public TextOpComponentKind Kind { get; }

    /// <summary>Length in code points: skipped, inserted or deleted.</summary>
    public int Length { get; }

    /// <summary>The inserted text, the deleted text when known (<c>{"d": "text"}</c>), otherwise null.</summary>
    public string? Text { get; }

    /// <summary>True for a skip (retain).</summary>
    public bool IsSkip => Kind == TextOpComponentKind.Skip;

    /// <summary>True for an insert.</summary>
    public bool IsInsert => Kind == TextOpComponentKind.Insert;

    /// <summary>True for a delete, with or without its text.</summary>
    public bool IsDelete => Kind == TextOpComponentKind.Delete;

    /// <summary>A skip of <paramref name="count"/> code points (must be positive).</summary>
    public static TextOpComponent Skip(int count)
    {
        if (count <= 0)
        {
            throw OtException.Malformed($"a skip must be a positive number of code points (got {count}).");
        }

        return new TextOpComponent(TextOpComponentKind.Skip, count, null);
    }

    /// <summary>An insert of <paramref name="text"/> (non-empty, no lone surrogate).</summary>
    public static TextOpComponent Insert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TextOpComponent(TextOpComponentKind.Insert, CheckedLength(text, "an insert"), text);
    }

    /// <summary>A delete of <paramref name="count"/> code points whose text is unknown (must be positive).</summary>
    public static TextOpComponent Delete(int count)
    {
        if (count <= 0)
        {
            throw OtException.Malformed($"a delete must remove a positive number of code points (got {count}).");
        }

        return new TextOpComponent(TextOpComponentKind.Delete, count, null);
    }

    /// <summary>A delete of <paramref name="text"/>, which makes the op invertible (non-empty, no lone surrogate).</summary>
    public static TextOpComponent Delete(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TextOpComponent(TextOpComponentKind.Delete, CheckedLength(text, "a delete"), text);
    }

    /// <inheritdoc/>
    public bool Equals(TextOpComponent other)
        => Kind == other.Kind && Length == other.Length && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TextOpComponent other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Length, Text is null ? 0 : StringComparer.Ordinal.GetHashCode(Text));

    /// <summary>The component in the JSON op format.</summary>
    public override string ToString() => Kind switch
    {
        TextOpComponentKind.Skip => Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        TextOpComponentKind.Insert => TextOpJson.Quote(Text!),
        TextOpComponentKind.Delete when Text is null => $"{{\"d\":{Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}",
        TextOpComponentKind.Delete => $"{{\"d\":{TextOpJson.Quote(Text!)}}}",
        _ => "(none)",
    };

    /// <summary>Compares two components by kind, length and text.</summary>
    public static bool operator ==(TextOpComponent left, TextOpComponent right) => left.Equals(right);

    /// <summary>Compares two components by kind, length and text.</summary>
    public static bool operator !=(TextOpComponent left, TextOpComponent right) => !left.Equals(right);

    // For pieces cut out of components that were already validated: no second scan of the text.
    internal static TextOpComponent Unchecked(TextOpComponentKind kind, int length, string? text) => new(kind, length, text);

    private static int CheckedLength(string text, string what)
    {
        if (text.Length == 0)
        {
            throw OtException.Malformed($"{what} must not be empty.");
        }

        int length = CodePoints.CountIfValid(text);
        if (length < 0)
        {
            throw OtException.Malformed($"{what} contains a lone surrogate (not valid Unicode text).");
        }

        return length;
    }
}
