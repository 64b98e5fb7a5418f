namespace Stoa.Ot;

/// <summary>
/// The only exception the OT code throws for bad input (hostile JSON included), so a server can turn it into a
/// client error. Anything else escaping from this library is a bug.
/// </summary>
public sealed class OtException : Exception
{
    /// <summary>Creates an exception for a malformed op.</summary>
    public OtException()
        : this(OtErrorKind.MalformedOp, "The text op is invalid.")
    {
    }

    /// <summary>Creates an exception for a malformed op with the given message.</summary>
    public OtException(string message)
        : this(OtErrorKind.MalformedOp, message)
    {
    }

    /// <summary>Creates an exception for a malformed op with the given message and cause.</summary>
    public OtException(string message, Exception innerException)
        : this(OtErrorKind.MalformedOp, message, innerException)
    {
    }

    /// <summary>Creates an exception of the given kind.</summary>
    public OtException(OtErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What went wrong, in a form a caller can switch on.</summary>
    public OtErrorKind Kind { get; }

    internal static OtException Malformed(int componentIndex, string message)
        => new(OtErrorKind.MalformedOp, $"Invalid text op: component {componentIndex}: {message}");

    internal static OtException Malformed(string message)
        => new(OtErrorKind.MalformedOp, $"Invalid text op: {message}");

    internal static OtException DoesNotFit(string message)
        => new(OtErrorKind.DoesNotFitDocument, $"The text op does not fit the document: {message}");
}
