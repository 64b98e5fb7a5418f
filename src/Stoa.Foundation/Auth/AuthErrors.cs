namespace Stoa.Foundation.Auth;

/// <summary>Authentication and authorization error codes: one per failure, so a client developer can tell which it hit.</summary>
public static class AuthErrors
{
    public const string MissingApiKey = "missing_api_key";
    public const string InvalidApiKey = "invalid_api_key";
    public const string MissingToken = "missing_token";
    public const string TokenMalformed = "token_malformed";
    public const string TokenTooLarge = "token_too_large";
    public const string TokenAlgorithmNotAllowed = "token_algorithm_not_allowed";
    public const string TokenSignatureInvalid = "token_signature_invalid";
    public const string TokenExpired = "token_expired";
    public const string TokenNotYetValid = "token_not_yet_valid";
    public const string TokenMissingSubject = "token_missing_subject";
    public const string TokenMissingExpiry = "token_missing_expiry";
    public const string ServerTokenRequired = "server_token_required";
    public const string OriginNotAllowed = "origin_not_allowed";
    public const string AppNotFound = "app_not_found";
}
