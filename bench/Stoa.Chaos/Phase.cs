namespace Stoa.Chaos;

/// <summary>One row of the table: a fault, what the workload saw while it lasted, and how long until requests succeeded again.</summary>
internal sealed record Phase(string Fault, Func<Faults, Task>? Inject, bool Graceful)
{
    public Stats Stats { get; } = new();

    public DateTime InjectedAt { get; set; }

    /// <summary>From injection until the restarted component answered again (node /readyz, Redis, PostgreSQL).</summary>
    public TimeSpan? Back { get; set; }

    public string? InjectError { get; set; }

    /// <summary>From injection until the last failed request of the phase (0 when none failed).</summary>
    public TimeSpan Recovery
    {
        get
        {
            if (Stats.Errors.Count == 0 || Inject is null)
            {
                return TimeSpan.Zero;
            }

            var lastError = Stats.Errors.Max(e => e.At) - InjectedAt;
            return lastError > TimeSpan.Zero ? lastError : TimeSpan.Zero;
        }
    }

    public int BadErrors => Stats.Errors.Count(e => e.Outcome.Kind == OutcomeKind.Bad);

    /// <summary>Errors must be 5xx problem+json with a code, and there must be none at all on a graceful shutdown.</summary>
    public bool Passed => InjectError is null && BadErrors == 0 && (!Graceful || Stats.Errors.Count == 0) && Recovery <= TimeSpan.FromSeconds(10);
}
