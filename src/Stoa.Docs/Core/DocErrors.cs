using Stoa.Foundation.Errors;
using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>The docs module's error codes, a public contract: clients switch on them.</summary>
internal static class DocErrors
{
    public const string DocNotFound = "doc_not_found";
    public const string DocForbidden = "doc_forbidden";
    public const string ClientIdTaken = "client_id_taken";
    public const string OpInvalid = "op_invalid";
    public const string OpTooLarge = "op_too_large";
    public const string DocTooLarge = "doc_too_large";
    public const string VersionAhead = "version_ahead";
    public const string VersionTooOld = "version_too_old";
    public const string RateLimited = "rate_limited";
    public const string DocBusy = "doc_busy";
    public const string StorageQuotaExceeded = "storage_quota_exceeded";

    public static ApiException NotFound(Guid id) => ApiException.NotFound(DocNotFound, $"Document {id} does not exist.");

    public static ApiException Forbidden(Guid id) =>
        new(403, DocForbidden, $"Document {id} is open to its members only, and this user is not one (the app's backend lists them).");

    public static ApiException ClientIdOfAnotherUser(string clientId) =>
        new(403, ClientIdTaken, $"The clientId '{clientId}' is used by another user on this document; pick a new random one.");

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

    public static ApiException Compacted(long after) =>
        ApiException.Conflict(VersionTooOld, $"The ops after version {after} were compacted into a snapshot; fetch the document again.");

    public static ApiException Busy() =>
        new(503, DocBusy, "The document is being edited too fast to commit this op; retry it.") { RetryAfterSeconds = 1 };

    public static ApiException Limited(TimeSpan retryAfter) =>
        new(429, RateLimited, "Too many ops from this user; slow down.") { RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) };

    public static ApiException QuotaExceeded(long quota) =>
        new(403, StorageQuotaExceeded, $"The app's documents have used their storage quota ({quota} bytes of op log and snapshots); space comes back as old ops are compacted, or the operator raises Stoa:Docs:AppStorageQuotaBytes.");
}
