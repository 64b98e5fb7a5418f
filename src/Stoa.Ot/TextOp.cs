using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Stoa.Ot;

/// <summary>
/// An immutable, always normalized text-unicode op: a list of components that walks the document from its start
/// (<c>[3, "hi", {"d": 2}]</c>: keep 3 code points, insert "hi", delete 2). Normalized means no empty component, no two
/// adjacent components of one kind and no trailing skip, so two ops that do the same thing compare equal.
/// </summary>
/// <remarks>
/// The JSON form is ot-text-unicode's (ShareDB's <c>text-unicode</c> type); see <see cref="Parse(string)"/> and
/// <see cref="ToJson"/>. Positions and lengths are Unicode code points, never UTF-16 units.
/// </remarks>
[JsonConverter(typeof(TextOpJsonConverter))]
public sealed class TextOp : IEquatable<TextOp>
{
    private readonly ImmutableArray<TextOpComponent> _components;

    private TextOp(ImmutableArray<TextOpComponent> components, int inputLength, int outputLength)
    {
        _components = components;
        InputLength = inputLength;
        OutputLength = outputLength;
    }

    /// <summary>The op that changes nothing (<c>[]</c>).</summary>
    public static TextOp Empty { get; } = new(ImmutableArray<TextOpComponent>.Empty, 0, 0);

    /// <summary>The components, normalized.</summary>
    public ImmutableArray<TextOpComponent> Components => _components;

    /// <summary>Number of components.</summary>
    public int Count => _components.Length;

    /// <summary>True when the op changes nothing.</summary>
    public bool IsNoop => _components.Length == 0;

    /// <summary>
    /// Code points the op reads (skipped plus deleted): the shortest document it applies to. Compare it with a
    /// known document length to reject an op cheaply before applying it.
    /// </summary>
    public int InputLength { get; }

    /// <summary>Code points from the start of the resulting document to the end of the op's last edit (skipped plus inserted).</summary>
    public int OutputLength { get; }

    /// <summary>True when every delete carries its text, so <see cref="TextOt.Invert"/> can undo the op.</summary>
    public bool IsInvertible
    {
        get
        {
            foreach (TextOpComponent component in _components)
            {
                if (component.IsDelete && component.Text is null)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Gets the component at <paramref name="index"/>.</summary>
    public TextOpComponent this[int index] => _components[index];

    internal ReadOnlySpan<TextOpComponent> Span => _components.AsSpan();

    /// <summary>Builds an op from components in any order of kinds, normalizing it (merging, dropping the trailing skip).</summary>
    public static TextOp Create(IEnumerable<TextOpComponent> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var builder = new OpBuilder();
        int index = 0;
        foreach (TextOpComponent component in components)
        {
            if (component.Kind == TextOpComponentKind.None)
            {
                throw OtException.Malformed(index, "default(TextOpComponent) is not a component; use TextOpComponent.Skip/Insert/Delete.");
            }

            builder.Append(component);
            index++;
        }

        return builder.Build();
    }

    /// <summary>Builds an op from components, normalizing it.</summary>
    public static TextOp Create(params ReadOnlySpan<TextOpComponent> components)
    {
        var builder = new OpBuilder(components.Length);
        for (int i = 0; i < components.Length; i++)
        {
            if (components[i].Kind == TextOpComponentKind.None)
            {
                throw OtException.Malformed(i, "default(TextOpComponent) is not a component; use TextOpComponent.Skip/Insert/Delete.");
            }

            builder.Append(components[i]);
        }

        return builder.Build();
    }

    /// <summary>An op inserting <paramref name="text"/> at code point <paramref name="position"/> (<c>[pos, "text"]</c>; <c>[]</c> for empty text).</summary>
    public static TextOp Insert(int position, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckPosition(position);
        if (text.Length == 0)
        {
            return Empty;
        }

        return At(position, TextOpComponent.Insert(text));
    }

    /// <summary>An op deleting <paramref name="count"/> code points at <paramref name="position"/> (<c>[pos, {"d": n}]</c>; not invertible).</summary>
    public static TextOp Delete(int position, int count)
    {
        CheckPosition(position);
        if (count < 0)
        {
            throw new OtException(OtErrorKind.InvalidArgument, $"A delete count cannot be negative (got {count}).");
        }

        return count == 0 ? Empty : At(position, TextOpComponent.Delete(count));
    }

    /// <summary>An op deleting <paramref name="deletedText"/> at <paramref name="position"/> (<c>[pos, {"d": "text"}]</c>; invertible).</summary>
    public static TextOp Delete(int position, string deletedText)
    {
        ArgumentNullException.ThrowIfNull(deletedText);
        CheckPosition(position);
        return deletedText.Length == 0 ? Empty : At(position, TextOpComponent.Delete(deletedText));
    }

    /// <summary>
    /// Parses the JSON form (<c>[3, "hi", {"d": 2}, {"d": "ab"}]</c>) and normalizes it. Adjacent components of one kind
    /// and a trailing skip are accepted and merged; anything else malformed (wrong JSON types, zero, negative,
    /// fractional or huge numbers, empty strings, lone surrogates, extra properties, deep nesting, invalid JSON)
    /// throws <see cref="OtException"/> with <see cref="OtErrorKind.MalformedOp"/>, and nothing else.
    /// </summary>
    public static TextOp Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TextOpJson.Parse(json);
    }

    /// <summary>Parses the UTF-8 JSON form; see <see cref="Parse(string)"/>.</summary>
    public static TextOp Parse(ReadOnlySpan<byte> utf8Json) => TextOpJson.Parse(utf8Json);

    /// <summary>Parses an already parsed JSON value; see <see cref="Parse(string)"/>.</summary>
    public static TextOp Parse(System.Text.Json.JsonElement json) => TextOpJson.Parse(json);

    /// <summary>The JSON form, e.g. <c>[3,"hi",{"d":2}]</c>, with non-ASCII text left readable.</summary>
    public string ToJson() => TextOpJson.ToJson(this);

    /// <summary>Writes the JSON form.</summary>
    public void WriteTo(System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        TextOpJson.Write(writer, this);
    }

    /// <inheritdoc/>
    public bool Equals(TextOp? other)
        => other is not null && (ReferenceEquals(this, other) || _components.AsSpan().SequenceEqual(other._components.AsSpan()));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TextOp);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (TextOpComponent component in _components)
        {
            hash.Add(component);
        }

        return hash.ToHashCode();
    }

    /// <summary>The JSON form.</summary>
    public override string ToString() => ToJson();

    // The builder has already normalized and measured the components.
    internal static TextOp FromNormalized(TextOpComponent[] components, int inputLength, int outputLength)
        => components.Length == 0 ? Empty : new TextOp(ImmutableCollectionsMarshal.AsImmutableArray(components), inputLength, outputLength);

    private static TextOp At(int position, TextOpComponent component)
    {
        var builder = new OpBuilder(2);
        builder.AppendSkip(position);
        builder.Append(component);
        return builder.Build();
    }

    private static void CheckPosition(int position)
    {
        if (position < 0)
        {
            throw new OtException(OtErrorKind.InvalidArgument, $"A position cannot be negative (got {position}).");
        }
    }
}
