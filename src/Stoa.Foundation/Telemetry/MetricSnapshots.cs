namespace Stoa.Foundation.Telemetry;

/// <summary>One metric family as scraped: its Prometheus name (with <c>_total</c> for counters), help, type and series.</summary>
internal sealed record MetricFamilySnapshot(string Name, string Help, PrometheusMetricType Type, IReadOnlyList<MetricPointSnapshot> Points);

/// <summary>One series: its labels (sanitised names, sorted) and either a value or a histogram.</summary>
internal sealed record MetricPointSnapshot(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, HistogramSnapshot? Histogram = null);

/// <summary>
/// Per-bucket (not cumulative) counts as aggregated; <see cref="BucketCounts"/> has one more entry than
/// <see cref="Bounds"/>, for the values above the last bound. The writer cumulates them into <c>le</c> buckets.
/// </summary>
internal sealed record HistogramSnapshot(IReadOnlyList<double> Bounds, IReadOnlyList<long> BucketCounts, double Sum, long Count);
