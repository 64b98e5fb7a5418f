using Stoa.Ot;

namespace Stoa.Client;

/// <summary>A remote edit as applied to the local text (already transformed past local pending edits).</summary>
public sealed record DocChange(long Version, TextOp Op, string ClientId);

/// <summary>Another client's presence: its cursor (code points) or that it left.</summary>
public sealed record DocPresence(string ClientId, string? UserId, int? Cursor, bool Online);

/// <summary>An error the server reported, with its stable code.</summary>
public sealed record DocSessionError(string Code, string Detail, long? Seq);

/// <summary>The session can no longer follow the document (the server refused an op or the document).</summary>
public sealed class DocSessionException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
