using System.Diagnostics;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Sql;

/// <summary>
/// One SQLite statement being measured: its span (when traced) and its start, ended once by <see cref="Complete"/>,
/// which records <c>db.client.operation.duration</c>. A class, since a reader that outlives the call carries it.
/// </summary>
internal sealed class StatementScope
{
    private readonly SqlSummary _summary;
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _completed;

    private StatementScope(SqlSummary summary, Activity? activity)
    {
        _summary = summary;
        _activity = activity;
    }

    /// <summary>A span per the database semantic conventions (the statement's text has parameters, never values).</summary>
    public static StatementScope Start(string? sql, string databaseName)
    {
        var summary = SqlSummary.Of(sql);
        var parent = Activity.Current;
        var activity = StoreTelemetry.StartSpan(summary.SpanName, ActivityKind.Client);
        if (activity is not null)
        {
            // A statement has no child spans: it must not become the current span of the code that goes on meanwhile
            // (a reader is read and closed later, perhaps after other statements began).
            Activity.Current = parent;
        }

        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "sqlite");
            activity.SetTag("db.system", "sqlite");
            activity.SetTag("db.namespace", databaseName);
            activity.SetTag("db.operation.name", summary.Operation);
            activity.SetTag("db.collection.name", summary.Collection);
            activity.SetTag("db.query.text", sql);
        }

        return new StatementScope(summary, activity);
    }

    public void Complete(Exception? error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        var errorType = error is null ? null : ErrorTypes.Of(error);
        StoreTelemetry.OperationDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds,
            new KeyValuePair<string, object?>("db.system.name", "sqlite"),
            new KeyValuePair<string, object?>("db.operation.name", _summary.Operation),
            new KeyValuePair<string, object?>("error.type", errorType));
        if (_activity is not null)
        {
            if (errorType is not null)
            {
                _activity.SetTag("error.type", errorType);
                _activity.SetStatus(ActivityStatusCode.Error, error!.Message);
            }

            _activity.Dispose();
        }
    }
}
