using System.Diagnostics;
using System.Diagnostics.Metrics;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Sql;

/// <summary>
/// The store's own spans and instruments, under the name <c>Stoa.Store</c>: a span per transaction attempt on either
/// dialect, SQLite's statements (Npgsql traces and measures PostgreSQL's itself) and the retries. Process-wide, like
/// Npgsql's: one store per process.
/// </summary>
internal static class StoreTelemetry
{
    public const string Name = "Stoa.Store";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter s_meter = new(Name);

    /// <summary>SQLite's share of <c>db.client.operation.duration</c>; Npgsql records PostgreSQL's under the same name.</summary>
    public static readonly Histogram<double> OperationDuration = s_meter.CreateHistogram<double>(
        StoaOpenTelemetry.DbOperationDuration, "s", "Duration of database client operations.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StoaOpenTelemetry.DbOperationBuckets });

    public static readonly Counter<long> Retries = s_meter.CreateCounter<long>("stoa.store.transaction.retries",
        description: "Transactions and reads retried after a serialization failure or a busy database, by module and dialect.");

    /// <summary>
    /// A span for work of the store, only inside a trace: statements of start-up, migrations and background loops
    /// outside any span would each begin a trace of their own.
    /// </summary>
    public static Activity? StartSpan(string name, ActivityKind kind) =>
        Activity.Current is not null && Source.HasListeners() ? Source.StartActivity(name, kind) : null;
}
