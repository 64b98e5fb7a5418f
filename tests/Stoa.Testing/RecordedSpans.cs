using System.Collections;
using System.Diagnostics;
using OpenTelemetry.Trace;
using Shouldly;

namespace Stoa.Testing;

/// <summary>
/// Spans as OpenTelemetry's in-memory exporter hands them over (<see cref="AddTo"/>), as soon as each ends. Activity
/// listeners are process-wide, so spans of every app running in parallel tests land here too: tests send their own
/// traceparent (or start their own root) and look only at their trace.
/// </summary>
public sealed class RecordedSpans : ICollection<Activity>
{
    private readonly Lock _gate = new();
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>OpenTelemetry's in-memory exporter, which exports each span as it ends (a simple, not batching, processor).</summary>
    public TracerProviderBuilder AddTo(TracerProviderBuilder tracing) => tracing.AddInMemoryExporter(this);

    public IReadOnlyList<Activity> ForTrace(ActivityTraceId traceId)
    {
        lock (_gate)
        {
            return [.. _spans.Where(s => s.TraceId == traceId)];
        }
    }

    /// <summary>Waits for a span of the trace matching <paramref name="match"/>: a server span ends just after its response is sent.</summary>
    public async Task<Activity> WaitForAsync(ActivityTraceId traceId, Func<Activity, bool> match, string? what = null)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if (ForTrace(traceId).FirstOrDefault(match) is { } span)
            {
                return span;
            }

            await Task.Delay(25);
        }

        throw new ShouldAssertException($"No {what ?? "matching"} span in trace {traceId}; its spans: " + Describe(traceId));
    }

    /// <summary>The trace's spans, one per line with source, name, ids and kind, for failure messages.</summary>
    public string Describe(ActivityTraceId traceId) =>
        string.Concat(ForTrace(traceId).Select(s => $"\n  {s.Source.Name} '{s.DisplayName}' {s.Kind} span {s.SpanId} parent {s.ParentSpanId}"));

    public void Add(Activity item)
    {
        lock (_gate)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_gate)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_gate)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_gate)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_gate)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
