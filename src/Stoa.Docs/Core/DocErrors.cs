using Stoa.Foundation.Errors;
using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>The docs module's error codes, a public contract: clients switch on them.</summary>
internal static class DocErrors
{
    public const string DocNotFound = "doc_not_found";
    public const string OpInvalid = "op_invalid";
    public const string OpTooLarge = "op_too_large";
    public const string DocTooLarge = "doc_too_large";
    public const string VersionAhead = "version_ahead";
    public const string VersionTooOld = "version_too_old";
    public const string RateLimited = "rate_limited";
    public const string DocBusy = "doc_busy";

    public static ApiException NotFound(Guid id) => ApiException.NotFound(DocNotFound, $"Document {id} does not exist.");

    public static ApiException Invalid(OtException e) => new(400, OpInvalid, e.Message);

    public static ApiException Invalid(string message) => new(400, OpInvalid, message);

    public static ApiException TooLargeOp(string message) => new(413, OpTooLarge, message);

    public static ApiException TooLargeDoc(int limit) =>
        new(422, DocTooLarge, $"The op would make the document longer than {limit} code points.");

    public static ApiException Ahead(long baseVersion, long version) =>
        ApiException.Conflict(VersionAhead, $"Version {baseVersion} is ahead of the document (version {version}).");

    public static ApiException TooOld(long baseVersion, long version, int window) =>
        ApiException.Conflict(VersionTooOld,
            $"Version {baseVersion} is more than {window} ops behind the document (version {version}); fetch the document again.");

    public static ApiException Busy() =>
        new(503, DocBusy, "The document is being edited too fast to commit this op; retry it.") { RetryAfterSeconds = 1 };

    public static ApiException Limited(TimeSpan retryAfter) =>
        new(429, RateLimited, "Too many ops from this user; slow down.") { RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) };
}
