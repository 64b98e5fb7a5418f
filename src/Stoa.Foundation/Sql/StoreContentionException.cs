using Stoa.Foundation.Errors;

namespace Stoa.Foundation.Sql;

/// <summary>
/// A transaction kept conflicting after every retry: nothing of it was written, and the client may send it again
/// after the Retry-After second, like every other 503 this service answers.
/// </summary>
public sealed class StoreContentionException : ApiException
{
    public StoreContentionException(Exception inner)
        : base(503, FoundationErrors.StoreBusy, "The data store is busy; retry the request.")
    {
        LastFailure = inner;
        RetryAfterSeconds = 1;
    }

    public Exception LastFailure { get; }
}
