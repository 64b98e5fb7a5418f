namespace Stoa.Mentions;

/// <summary>Why a search produced no answer; the CLI turns every kind into exit code 2.</summary>
internal enum SearchFailure
{
    NoNetwork,
    TimedOut,
    Blocked,
    UnexpectedPage,
    RequestFailed,
}

/// <summary>A search that failed, with a one-line message meant for the person at the terminal.</summary>
internal sealed class SearchEngineException : Exception
{
    public SearchEngineException(SearchFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public SearchFailure Failure { get; }
}
