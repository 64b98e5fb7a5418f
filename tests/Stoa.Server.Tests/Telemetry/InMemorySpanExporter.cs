using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>Collects finished spans (the OpenTelemetry in-memory exporter package is not available here).</summary>
public sealed class InMemorySpanExporter : BaseExporter<Activity>
{
    public ConcurrentQueue<Activity> Spans { get; } = new();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            Spans.Enqueue(activity);
        }

        return ExportResult.Success;
    }

    /// <summary>
    /// Spans of one trace. Activity listeners are process-wide, so spans of other apps running in parallel tests land
    /// here too: tests send their own traceparent and look only at their trace.
    /// </summary>
    public IReadOnlyList<Activity> ForTrace(ActivityTraceId traceId) => [.. Spans.Where(s => s.TraceId == traceId)];

    /// <summary>Waits for a span of the trace matching <paramref name="match"/>: the server span ends just after the response is sent.</summary>
    public async Task<Activity> WaitForAsync(ActivityTraceId traceId, Func<Activity, bool> match)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (ForTrace(traceId).FirstOrDefault(match) is { } span)
            {
                return span;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        throw new ShouldAssertException($"No matching span for trace {traceId}; spans of the trace: " +
            string.Join(", ", ForTrace(traceId).Select(s => s.DisplayName)));
    }
}
