namespace Stoa.Ot;

/// <summary>
/// Takes an op apart piece by piece for transform and compose (ot-text-unicode's <c>makeTake</c>). Remembers both the
/// code point and the UTF-16 offset inside the current component, so cutting a long insert or delete text into pieces
/// scans each character once.
/// </summary>
internal ref struct OpCursor
{
    private readonly ReadOnlySpan<TextOpComponent> _components;
    private int _index;
    private int _offset;
    private int _charOffset;

    public OpCursor(TextOp op)
    {
        _components = op.Span;
        _index = 0;
        _offset = 0;
        _charOffset = 0;
    }

    /// <summary>Kind of the next component, <see cref="TextOpComponentKind.None"/> at the end.</summary>
    public readonly TextOpComponentKind PeekKind => _index < _components.Length ? _components[_index].Kind : TextOpComponentKind.None;

    /// <summary>Takes the rest of the current component; <c>default</c> at the end.</summary>
    public TextOpComponent TakeAll()
    {
        return _index < _components.Length ? TakeRest(_components[_index]) : default;
    }

    /// <summary>
    /// Takes at most <paramref name="length"/> code points, but a component of the <paramref name="indivisible"/>
    /// kind whole. Past the end of the op, the op skips forever.
    /// </summary>
    public TextOpComponent Take(int length, TextOpComponentKind indivisible)
    {
        if (_index == _components.Length)
        {
            return TextOpComponent.Unchecked(TextOpComponentKind.Skip, length, null);
        }

        TextOpComponent c = _components[_index];
        if (c.Length - _offset <= length || c.Kind == indivisible)
        {
            return TakeRest(c);
        }

        TextOpComponent part;
        if (c.Text is null)
        {
            part = TextOpComponent.Unchecked(c.Kind, length, null);
        }
        else
        {
            int end = CodePoints.Advance(c.Text, _charOffset, length);
            part = TextOpComponent.Unchecked(c.Kind, length, c.Text.Substring(_charOffset, end - _charOffset));
            _charOffset = end;
        }

        _offset += length;
        return part;
    }

    private TextOpComponent TakeRest(TextOpComponent c)
    {
        TextOpComponent part = _offset == 0
            ? c
            : TextOpComponent.Unchecked(c.Kind, c.Length - _offset, c.Text?.Substring(_charOffset));
        _index++;
        _offset = 0;
        _charOffset = 0;
        return part;
    }
}
