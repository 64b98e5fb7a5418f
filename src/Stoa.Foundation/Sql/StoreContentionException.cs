using Stoa.Foundation.Errors;

namespace Stoa.Foundation.Sql;

/// <summary>A transaction kept conflicting after every retry: the client may try again shortly.</summary>
public sealed class StoreContentionException(Exception inner)
    : ApiException(503, "store_busy", "The data store is busy; retry the request.")
{
    public Exception LastFailure { get; } = inner;
}
