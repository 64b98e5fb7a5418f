using System.Diagnostics.Metrics;
using Stoa.Foundation.Telemetry;

namespace Stoa.Docs.Core;

/// <summary>What operators of the docs module watch: ops committed, resent or transformed after a lost race, and the time to commit.</summary>
internal sealed class DocMetrics(ModuleTelemetry telemetry)
{
    private readonly Counter<long> _committed = telemetry.CreateCounter<long>("ops.committed", "{op}", "Ops committed.");
    private readonly Counter<long> _duplicates = telemetry.CreateCounter<long>("ops.duplicates", "{op}", "Resent ops acknowledged without applying them again.");
    private readonly Counter<long> _conflicts = telemetry.CreateCounter<long>("ops.conflicts", "{op}", "Commits that lost a version race and were transformed again.");
    private readonly Histogram<double> _submitTime = telemetry.CreateHistogram<double>("submit.duration", "ms", "Time from receiving an op to its commit.");

    public void Committed(int ops) => _committed.Add(ops);

    public void Duplicate() => _duplicates.Add(1);

    public void Conflict() => _conflicts.Add(1);

    public void Submitted(TimeSpan elapsed) => _submitTime.Record(elapsed.TotalMilliseconds);
}
