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

    // The last few tag sets as instruments reported them, raw, with their series: an HTTP request reports several
    // measurements, and building a LabelSet (sanitised names, formatted values, a key) for each was about half of the
    // bytes a request allocated. Copy-on-write; a tag set not among them takes the LabelSet path.
    private const int MaxRecent = 16;
    private RecentSeries[] _recent = [];

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

        var series = FindRecent(tags) ?? GetSeriesAndRemember(tags);
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
            Volatile.Write(ref _recent, []);
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

    private MetricSeries? FindRecent(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var recent in Volatile.Read(ref _recent))
        {
            if (recent.Matches(tags))
            {
                return recent.Series;
            }
        }

        return null;
    }

    private MetricSeries GetSeriesAndRemember(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = GetSeries(LabelSet.From(tags));
        // The overflow series is not remembered: each measurement sent there must be counted as dropped. Once the
        // list is full, tag sets beyond it go this way without the lock.
        if (series != _overflow && Volatile.Read(ref _recent).Length < MaxRecent)
        {
            lock (_addLock)
            {
                // A reset may have happened since GetSeries; the series must still be the family's.
                if (_recent.Length < MaxRecent && _series.TryGetValue(series.Labels, out var current) && current == series)
                {
                    _recent = [.. _recent, new RecentSeries(tags.ToArray(), series)];
                }
            }
        }

        return series;
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

/// <summary>A tag set exactly as an instrument reported it (keys by ordinal, values by <c>Equals</c>), and its series.</summary>
internal sealed class RecentSeries(KeyValuePair<string, object?>[] tags, MetricSeries series)
{
    public MetricSeries Series { get; } = series;

    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> other)
    {
        if (other.Length != tags.Length)
        {
            return false;
        }

        for (var i = 0; i < tags.Length; i++)
        {
            if (!string.Equals(tags[i].Key, other[i].Key, StringComparison.Ordinal) || !Equals(tags[i].Value, other[i].Value))
            {
                return false;
            }
        }

        return true;
    }
}
