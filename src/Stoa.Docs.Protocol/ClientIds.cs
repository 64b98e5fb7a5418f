namespace Stoa.Docs.Protocol;

/// <summary>
/// A client id names one editing session in acks, deduplication and presence: short and URL-safe. The server binds a
/// document's client id to the first user who uses it, so clients should make them random (DocSession does).
/// </summary>
public static class ClientIds
{
    public const int MaxLength = 64;

    /// <summary><see cref="IsValid"/> as a regular expression, for the OpenAPI document.</summary>
    public const string Pattern = "^[A-Za-z0-9._-]{1,64}$";

    public const string Rule = "1 to 64 characters of A-Z, a-z, 0-9, '-', '_' or '.'";

    public static bool IsValid(string? clientId) =>
        clientId is { Length: > 0 and <= MaxLength } && clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
