using System.Diagnostics;
using System.Diagnostics.Metrics;
using Stoa.Redis.Connection;

namespace Stoa.Redis.Telemetry;

/// <summary>
/// The client's spans and its one metric, through the BCL only (<see cref="ActivitySource"/> and <see cref="Meter"/>,
/// both named <c>Stoa.Redis</c>), following OpenTelemetry's database semantic conventions: a client span per command
/// named by the command (<c>db.system.name</c> and <c>db.system</c> <c>redis</c>, <c>db.operation.name</c>,
/// <c>db.namespace</c> the database index, the server's address), a span per pipeline flush that carried traced
/// commands, and <c>db.client.operation.duration</c>. Keys and values never go into an attribute: they are an app's
/// data. Nothing is done when nothing listens: an application without a tracer or a meter listener pays one check per
/// command.
/// </summary>
internal static class RedisTelemetry
{
    public const string Name = "Stoa.Redis";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter s_meter = new(Name);

    /// <summary>
    /// The same name and buckets as every other database client in a process (Npgsql's included), so that one
    /// dashboard reads them all; finer than the conventions' advice, whose first bucket (1 ms) holds every round trip
    /// on a LAN.
    /// </summary>
    public static readonly Histogram<double> OperationDuration = s_meter.CreateHistogram<double>(
        "db.client.operation.duration", "s", "Duration of database client operations.", tags: null,
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    /// <summary>Links from a flush span to the commands it carried, beyond the one it is the child of.</summary>
    public const int MaxFlushLinks = 32;

    public static bool IsObserved => OperationDuration.Enabled || Source.HasListeners();

    /// <summary>
    /// A command's span, only inside a trace: keep-alive pings, lease renewals and other background commands outside
    /// any span would each begin a trace of one command.
    /// </summary>
    public static Activity? StartCommand(string command, RedisOperation operation, RedisOptions options)
    {
        if (Activity.Current is null || !Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(command, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "redis");
            activity.SetTag("db.system", "redis");
            activity.SetTag("db.operation.name", command);
            activity.SetTag("db.namespace", options.Database);
            if (operation.ExpectedReplies > 1)
            {
                activity.SetTag("db.operation.batch.size", operation.ExpectedReplies);
            }

            if (!options.Cluster)
            {
                activity.SetTag("server.address", options.Host);
                activity.SetTag("server.port", options.Port);
            }
        }

        return activity;
    }

    public static void Complete(string command, long started, string? errorType, Activity? activity)
    {
        OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("db.system.name", "redis"),
            new KeyValuePair<string, object?>("db.operation.name", command),
            new KeyValuePair<string, object?>("error.type", errorType));
        if (activity is null)
        {
            return;
        }

        if (errorType is not null)
        {
            activity.SetTag("error.type", errorType);
            activity.SetStatus(ActivityStatusCode.Error);
        }

        activity.Dispose();
    }

    /// <summary>
    /// Adds a written command's span to the flush of the current batch: the first traced command of a batch starts the
    /// flush span as its child, the others are linked to it (up to <see cref="MaxFlushLinks"/>).
    /// </summary>
    public static Activity? JoinFlush(Activity? flush, Activity command, ref int links)
    {
        if (flush is null)
        {
            links = 0;
            flush = Source.StartActivity("redis.pipeline.flush", ActivityKind.Client, command.Context);
            flush?.SetTag("db.system.name", "redis");
            flush?.SetTag("db.system", "redis");
            return flush;
        }

        if (links < MaxFlushLinks)
        {
            links++;
            flush.AddLink(new ActivityLink(command.Context));
        }

        return flush;
    }

    public static void EndFlush(Activity flush, int commands, long bytes)
    {
        flush.SetTag("db.operation.batch.size", commands);
        flush.SetTag("stoa.redis.flush.bytes", bytes);
        flush.Dispose();
    }
}
