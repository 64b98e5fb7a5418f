using Stoa.Foundation.Errors;

namespace Stoa.Docs.Api;

/// <summary>Client ids name a client session in acks and presence: short, URL-safe.</summary>
internal static class DocClientIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? clientId) =>
        clientId is { Length: > 0 and <= MaxLength } && clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static Validation Validate(Validation validation, string? clientId, string field) =>
        validation.Require(IsValid(clientId), field, $"is required: 1 to {MaxLength} characters of A-Z, a-z, 0-9, '-', '_' or '.'");
}
