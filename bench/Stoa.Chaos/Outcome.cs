namespace Stoa.Chaos;

/// <summary>How one request ended.</summary>
internal enum OutcomeKind
{
    Ok,

    /// <summary>A 5xx application/problem+json answer with a <c>code</c> other than <c>internal_error</c>: an allowed error during a fault.</summary>
    ProblemServerError,

    /// <summary>Anything else: a connection error, a timeout, a 4xx, a 500 internal_error, a 5xx that is not problem+json with a code.</summary>
    Bad,
}

internal readonly record struct Outcome(OutcomeKind Kind, int Status, string Detail)
{
    /// <summary>The connection closed before any answer: the one failure a client may resend (see <see cref="StoaApi"/>).</summary>
    public bool ClosedWithoutAnswer { get; init; }

    /// <summary>The node that answered (haproxy's <c>X-Stoa-Node</c>), when one did.</summary>
    public string? Node { get; init; }

    public static Outcome Success(int status) => new(OutcomeKind.Ok, status, "");

    public bool IsOk => Kind == OutcomeKind.Ok;
}
