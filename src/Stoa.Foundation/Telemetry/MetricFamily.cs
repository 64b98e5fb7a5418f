using System.Collections.Concurrent;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// One Prometheus metric family and its series. Every instrument that maps to the same name, type and buckets feeds
/// the same family (two meters of one name, one per module instance), as OpenTelemetry merges duplicate instruments.
/// </summary>
internal sealed class MetricFamily
{
    private readonly int _maxSeries;
    private readonly Lock _addLock = new();
    private ConcurrentDictionary<LabelSet, MetricSeries> _series = new();
    private int _seriesCount;
    private MetricSeries? _overflow;
    private long _dropped;

    public MetricFamily(string name, string help, PrometheusMetricType type, MetricAggregation aggregation, bool isObservable, double[]? bounds, int maxSeries)
    {
        Name = name;
        Help = help;
        Type = type;
        Aggregation = aggregation;
        IsObservable = isObservable;
        Bounds = bounds;
        _maxSeries = maxSeries;
    }

    public string Name { get; }

    public string Help { get; }

    public PrometheusMetricType Type { get; }

    public MetricAggregation Aggregation { get; }

    /// <summary>Observable instruments report on each scrape, so their series are rebuilt then: a series that stops being reported disappears.</summary>
    public bool IsObservable { get; }

    public double[]? Bounds { get; }

    /// <summary>How many live instruments feed this family; guarded by the collector's lock.</summary>
    public int InstrumentCount { get; set; }

    /// <summary>Measurements that went to the overflow series because the family had reached its series cap.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool CanMerge(MetricFamily other) =>
        Type == other.Type && Aggregation == other.Aggregation && IsObservable == other.IsObservable
        && (Bounds ?? []).AsSpan().SequenceEqual(other.Bounds ?? []);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // A counter only goes up (a negative delta is a bug in the caller); NaN would poison a sum for good.
        if (double.IsNaN(value) || (Type == PrometheusMetricType.Counter && value < 0))
        {
            return;
        }

        var series = GetSeries(LabelSet.From(tags));
        switch (Aggregation)
        {
            case MetricAggregation.Sum:
                series.Add(value);
                break;
            case MetricAggregation.LastValue:
                series.Set(value);
                break;
            default:
                series.Record(value);
                break;
        }
    }

    /// <summary>Starts an observation round (observable families only; the collector serialises scrapes).</summary>
    public void ResetForCollection()
    {
        lock (_addLock)
        {
            _series = new ConcurrentDictionary<LabelSet, MetricSeries>();
            _seriesCount = 0;
            _overflow = null;
        }
    }

    public MetricFamilySnapshot Snapshot()
    {
        List<MetricSeries> series;
        lock (_addLock)
        {
            series = [.. _series.Values];
            if (_overflow is { } overflow)
            {
                series.Add(overflow);
            }
        }

        series.Sort(static (a, b) => LabelSet.Compare(a.Labels, b.Labels));
        return new MetricFamilySnapshot(Name, Help, Type, [.. series.Select(s => s.Snapshot())]);
    }

    private MetricSeries GetSeries(LabelSet labels)
    {
        if (_series.TryGetValue(labels, out var series))
        {
            return series;
        }

        lock (_addLock)
        {
            if (_series.TryGetValue(labels, out series))
            {
                return series;
            }

            if (_seriesCount >= _maxSeries)
            {
                Interlocked.Increment(ref _dropped);
                return _overflow ??= new MetricSeries(LabelSet.Overflow, Bounds);
            }

            series = new MetricSeries(labels, Bounds);
            _series[labels] = series;
            _seriesCount++;
            return series;
        }
    }
}
