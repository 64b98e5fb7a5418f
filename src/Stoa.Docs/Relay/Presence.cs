namespace Stoa.Docs.Relay;

/// <summary>Who is connected to a document and where their cursor is (code points, at the version they last saw).</summary>
internal sealed record Presence(string ClientId, string? UserId, int? Cursor, bool Online, string? NodeId)
{
    /// <summary>A client is known by its user and its client id: another user's client id never replaces it.</summary>
    public (string? UserId, string ClientId) Key => (UserId, ClientId);
}
