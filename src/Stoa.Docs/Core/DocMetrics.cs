using System.Diagnostics;
using System.Diagnostics.Metrics;
using Stoa.Foundation.Telemetry;

namespace Stoa.Docs.Core;

/// <summary>
/// What operators of the docs module watch: ops committed, resent or transformed after a lost race, and the time to
/// commit; and the module's spans: a submit, and the batch its sequencer commits it in.
/// </summary>
internal sealed class DocMetrics(ModuleTelemetry telemetry)
{
    /// <summary>Links from a batch's span to the submits it carried, besides the one it runs under.</summary>
    private const int MaxBatchLinks = 32;

    private readonly Counter<long> _committed = telemetry.CreateCounter<long>("ops.committed", "{op}", "Ops committed.");
    private readonly Counter<long> _duplicates = telemetry.CreateCounter<long>("ops.duplicates", "{op}", "Resent ops acknowledged without applying them again.");
    private readonly Counter<long> _conflicts = telemetry.CreateCounter<long>("ops.conflicts", "{op}", "Commits that lost a version race and were transformed again.");
    private readonly Histogram<double> _submitTime = telemetry.CreateHistogram<double>("submit.duration", "ms", "Time from receiving an op to its commit.");

    public void Committed(int ops) => _committed.Add(ops);

    public void Duplicate() => _duplicates.Add(1);

    public void Conflict() => _conflicts.Add(1);

    public void Submitted(TimeSpan elapsed) => _submitTime.Record(elapsed.TotalMilliseconds);

    /// <summary>The submit use case, <c>docs.submit</c>: its checks, then the wait for (or the running of) its batch.</summary>
    public Activity? StartSubmit() => telemetry.StartActivity("submit");

    /// <summary>
    /// A group commit, <c>docs.submit_batch</c>, in the trace of the submit that runs it, linked to the other submits
    /// it carries (each in its own client's trace): the one place the waits of many editors meet.
    /// </summary>
    public Activity? StartBatch(IReadOnlyList<PendingSubmit> batch)
    {
        var span = telemetry.StartActivity("submit_batch");
        if (span is not { IsAllDataRequested: true })
        {
            return span;
        }

        span.SetTag("stoa.docs.batch.size", batch.Count);
        var links = 0;
        foreach (var submit in batch)
        {
            if (submit.Trace != default && submit.Trace.SpanId != span.ParentSpanId && links++ < MaxBatchLinks)
            {
                span.AddLink(new ActivityLink(submit.Trace));
            }
        }

        return span;
    }
}
