namespace Stoa.Ot;

/// <summary>Why an <see cref="OtException"/> was thrown, so a server can map it to an error code without parsing messages.</summary>
public enum OtErrorKind
{
    /// <summary>The op itself is malformed: wrong JSON shape or types, a zero or negative length, an empty insert, a lone surrogate.</summary>
    MalformedOp = 1,

    /// <summary>The op is well formed but does not fit the document: it skips or deletes past the end, or its delete text differs from the document.</summary>
    DoesNotFitDocument = 2,

    /// <summary>The op cannot be inverted because a delete does not carry the deleted text.</summary>
    NotInvertible = 3,

    /// <summary>An argument other than an op is out of range (a negative position or count).</summary>
    InvalidArgument = 4,
}
