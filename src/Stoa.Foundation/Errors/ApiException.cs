namespace Stoa.Foundation.Errors;

/// <summary>
/// A failure the caller can act on, answered as problem+json with its status and stable code. Core code throws it
/// (it carries no ASP.NET type); the error middleware turns it into the response. Anything else thrown is a 500.
/// </summary>
public class ApiException : Exception
{
    public ApiException(int status, string code, string message, IReadOnlyDictionary<string, string[]>? errors = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Errors = errors;
    }

    public int Status { get; }

    public string Code { get; }

    /// <summary>Per-field messages for validation failures.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    /// <summary>Seconds the client should wait before retrying (sent as Retry-After), when known.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiException NotFound(string code, string message) => new(404, code, message);

    public static ApiException Conflict(string code, string message) => new(409, code, message);

    public static ApiException Forbidden(string code, string message) => new(403, code, message);
}
