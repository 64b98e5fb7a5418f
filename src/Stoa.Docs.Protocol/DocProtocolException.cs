namespace Stoa.Docs.Protocol;

/// <summary>A frame that is not a message of the protocol; <see cref="Field"/> names what was wrong.</summary>
public sealed class DocProtocolException(string field, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Field { get; } = field;
}
