namespace Stoa.Foundation.Errors;

/// <summary>What a failure is answered with, whichever protocol carries it: problem+json over HTTP, a status and trailers over gRPC.</summary>
public sealed record Problem(int Status, string Code, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null, int? RetryAfterSeconds = null);
