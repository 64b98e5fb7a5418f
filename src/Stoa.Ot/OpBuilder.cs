using System.Text;

namespace Stoa.Ot;

/// <summary>
/// Appends components and keeps the result normalized, exactly as ot-text-unicode's <c>makeAppend</c> + <c>trim</c>:
/// empty components vanish, adjacent components of one kind merge, a trailing skip is dropped. Two deletes keep their
/// text only if both have it (otherwise the merge keeps only the count).
/// </summary>
/// <remarks>
/// Merged texts accumulate in a <see cref="StringBuilder"/> so that an op of many one-letter inserts (hostile or not)
/// costs linear time, not quadratic.
/// </remarks>
internal sealed class OpBuilder
{
    private readonly List<TextOpComponent> _components;
    private TextOpComponentKind _kind;
    private long _length;
    private string? _text;
    private StringBuilder? _merged;
    private bool _hasText;
    private long _inputLength;
    private long _outputLength;

    public OpBuilder(int capacity = 4)
    {
        _components = new List<TextOpComponent>(capacity);
    }

    public void Append(TextOpComponent component)
    {
        if (component.Kind == TextOpComponentKind.None || component.Length == 0)
        {
            return;
        }

        if (component.Kind != _kind)
        {
            Flush();
            _kind = component.Kind;
            _length = component.Length;
            _text = component.Text;
            _hasText = component.Text is not null;
            return;
        }

        _length += component.Length;
        if (_kind == TextOpComponentKind.Skip)
        {
            return;
        }

        if (_hasText && component.Text is not null)
        {
            _merged ??= new StringBuilder(_text);
            _merged.Append(component.Text);
        }
        else
        {
            // A count-only delete swallows the text of its neighbour, as in the reference.
            _hasText = false;
            _text = null;
            _merged = null;
        }
    }

    public void AppendSkip(int count)
    {
        if (count > 0)
        {
            Append(TextOpComponent.Unchecked(TextOpComponentKind.Skip, count, null));
        }
    }

    public TextOp Build()
    {
        if (_kind != TextOpComponentKind.Skip)
        {
            Flush();
        }

        // A pending skip is the trailing skip: dropping it is the reference's trim().
        _kind = TextOpComponentKind.None;
        return TextOp.FromNormalized(_components.ToArray(), (int)_inputLength, (int)_outputLength);
    }

    private void Flush()
    {
        if (_kind == TextOpComponentKind.None)
        {
            return;
        }

        if (_length > int.MaxValue)
        {
            throw OtException.Malformed($"a merged component is longer than {int.MaxValue} code points.");
        }

        string? text = _hasText ? (_merged?.ToString() ?? _text) : null;
        _components.Add(TextOpComponent.Unchecked(_kind, (int)_length, text));
        if (_kind != TextOpComponentKind.Insert)
        {
            _inputLength += _length;
        }

        if (_kind != TextOpComponentKind.Delete)
        {
            _outputLength += _length;
        }

        if (_inputLength > int.MaxValue || _outputLength > int.MaxValue)
        {
            throw OtException.Malformed($"the op spans more than {int.MaxValue} code points.");
        }

        _kind = TextOpComponentKind.None;
        _merged = null;
        _text = null;
    }
}
