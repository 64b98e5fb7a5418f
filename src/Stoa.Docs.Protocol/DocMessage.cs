using Stoa.Ot;

namespace Stoa.Docs.Protocol;

/// <summary>One JSON text frame of a document's WebSocket (docs/docs-protocol.md), in either direction.</summary>
public abstract record DocMessage;

/// <summary>Server: the text at a version, first on a socket opened without <c>from</c>.</summary>
public sealed record SnapshotMessage(long Version, string Text) : DocMessage;

/// <summary>Server: another client's op, committed at <paramref name="Version"/>.</summary>
public sealed record OpMessage(long Version, TextOp Op, string ClientId, string? UserId) : DocMessage;

/// <summary>Server: this socket's client's op <paramref name="Seq"/> was committed at <paramref name="Version"/>.</summary>
public sealed record AckMessage(long Seq, long Version) : DocMessage;

/// <summary>Server: an op or message was refused; the socket stays open.</summary>
public sealed record ErrorMessage(string Code, string Detail, long? Seq = null, int? RetryAfterMs = null) : DocMessage;

/// <summary>Server: who is on the document and where their cursor is (code points).</summary>
public sealed record PresenceMessage(string ClientId, string? UserId, int? Cursor, bool Online) : DocMessage;

/// <summary>Client: an op made on <paramref name="BaseVersion"/>, numbered <paramref name="Seq"/> by its client.</summary>
public sealed record SubmitMessage(long BaseVersion, TextOp Op, string ClientId, long Seq) : DocMessage;

/// <summary>Client: this client's cursor moved.</summary>
public sealed record CursorMessage(int Position) : DocMessage;

/// <summary>Client: an application-level keep-alive; answered with nothing.</summary>
public sealed record PingMessage : DocMessage
{
    public static PingMessage Instance { get; } = new();
}
