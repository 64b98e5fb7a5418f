namespace Stoa.Foundation.Telemetry;

/// <summary>The running state of one series. A lock per series keeps a histogram's buckets, sum and count consistent with each other.</summary>
internal sealed class MetricSeries(LabelSet labels, double[]? bounds)
{
    private readonly Lock _lock = new();
    private readonly long[]? _buckets = bounds is null ? null : new long[bounds.Length + 1];
    private double _value;
    private double _sum;
    private long _count;

    public LabelSet Labels { get; } = labels;

    public void Add(double value)
    {
        lock (_lock)
        {
            _value += value;
        }
    }

    public void Set(double value)
    {
        lock (_lock)
        {
            _value = value;
        }
    }

    /// <summary>Counts <paramref name="value"/> in the first bucket whose upper bound is at least the value (<c>le</c> is inclusive).</summary>
    public void Record(double value)
    {
        var index = Array.BinarySearch(bounds!, value);
        if (index < 0)
        {
            index = ~index;
        }

        lock (_lock)
        {
            _buckets![index]++;
            _sum += value;
            _count++;
        }
    }

    public MetricPointSnapshot Snapshot()
    {
        lock (_lock)
        {
            return _buckets is null
                ? new MetricPointSnapshot(Labels.Labels, _value)
                : new MetricPointSnapshot(Labels.Labels, 0, new HistogramSnapshot(bounds!, [.. _buckets], _sum, _count));
        }
    }
}
