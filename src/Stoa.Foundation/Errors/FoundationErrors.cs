namespace Stoa.Foundation.Errors;

/// <summary>
/// The error codes of the platform itself. Modules declare theirs in one file each. Codes are a public contract:
/// clients switch on them, so an existing code never changes meaning.
/// </summary>
public static class FoundationErrors
{
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string InvalidJson = "invalid_json";
    public const string BadRequest = "bad_request";
    public const string ValidationFailed = "validation_failed";
    public const string InvalidCharacter = "invalid_character";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";
    public const string ShuttingDown = "shutting_down";

    // The closed set of infrastructure failures: each a 503 with Retry-After, produced by Foundation alone (the error
    // middleware maps the exceptions to them), never redeclared by a module under its own name.

    /// <summary>503: the database did not answer (restarting, unreachable).</summary>
    public const string StoreUnavailable = "store_unavailable";

    /// <summary>503: the database answered but a transaction kept conflicting, or the embedded file stayed locked.</summary>
    public const string StoreBusy = "store_busy";

    /// <summary>503: the engine (Redis) could not be reached or did not answer in time.</summary>
    public const string EngineUnavailable = "engine_unavailable";

    public const string Unavailable = "service_unavailable";
    public const string RequestTimeout = "request_timeout";
    public const string UriTooLong = "uri_too_long";
    public const string HeaderFieldsTooLarge = "header_fields_too_large";
    public const string NotImplemented = "not_implemented";
    public const string HttpVersionNotSupported = "http_version_not_supported";
    public const string InternalError = "internal_error";

    /// <summary>The code used when a response carries only a status (routing 404s, framework 405s…).</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        408 => RequestTimeout,
        409 => Conflict,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        431 => HeaderFieldsTooLarge,
        501 => NotImplemented,
        505 => HttpVersionNotSupported,
        503 => Unavailable,
        >= 500 => InternalError,
        _ => BadRequest,
    };
}
