namespace Stoa.Ot;

/// <summary>The three kinds of op component.</summary>
public enum TextOpComponentKind
{
    /// <summary>Only <c>default(TextOpComponent)</c> has this kind; it is never part of an op.</summary>
    None = 0,

    /// <summary>Keep N code points of the document (JSON: a positive integer).</summary>
    Skip = 1,

    /// <summary>Insert text at the current position (JSON: a non-empty string).</summary>
    Insert = 2,

    /// <summary>Delete N code points, optionally with the deleted text (JSON: <c>{"d": N}</c> or <c>{"d": "text"}</c>).</summary>
    Delete = 3,
}
