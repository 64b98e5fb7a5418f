using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// Aggregates the host's measurements for <c>/metrics</c>: counters as sums, up-down counters and gauges as gauges,
/// histograms with explicit buckets (the instrument's advice, else defaults by unit), each family capped in series.
/// </summary>
/// <remarks>
/// Built on a <see cref="MeterListener"/> rather than an OpenTelemetry <c>MetricReader</c> because a listener can
/// tell which host a meter belongs to (<see cref="Meter.Scope"/> is the host's <see cref="IMeterFactory"/>): two hosts
/// in one process (the tests run several) each expose only their own ASP.NET Core and module series, where an
/// OpenTelemetry <c>MeterProvider</c> matches meters by name only and would mix them. It also keeps the scrape
/// independent of the OTLP export, which has its own reader, interval and temporality. Meters created without a factory
/// (<c>System.Runtime</c>) belong to the process and are seen by every host.
/// </remarks>
internal sealed class PrometheusCollector : IDisposable
{
    public const int DefaultMaxSeriesPerMetric = 2_000;

    public const string DroppedSeriesMetric = "stoa_metrics_dropped_series_total";

    // Seconds: ASP.NET Core's own advice for http.server.request.duration. Milliseconds: OpenTelemetry's default buckets.
    private static readonly double[] s_secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly double[] s_defaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1_000, 2_500, 5_000, 7_500, 10_000];
    private static readonly double[] s_byteBuckets = [64, 256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864];

    private readonly MeterListener _listener = new();
    private readonly Lock _familiesLock = new();
    private readonly Lock _scrapeLock = new();
    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly IMeterFactory? _scope;
    private readonly IReadOnlyList<string> _meterPatterns;
    private readonly int _maxSeriesPerMetric;
    private readonly ILogger _logger;

    /// <param name="scope">The host's meter factory: meters from another factory (another host) are ignored.</param>
    /// <param name="meterPatterns">Meter names to export: <c>Prefix.*</c> or exact.</param>
    public PrometheusCollector(IMeterFactory? scope, IReadOnlyList<string> meterPatterns, int maxSeriesPerMetric = DefaultMaxSeriesPerMetric, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeriesPerMetric, 1);
        _scope = scope;
        _meterPatterns = meterPatterns;
        _maxSeriesPerMetric = maxSeriesPerMetric;
        _logger = logger ?? NullLogger.Instance;

        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.MeasurementsCompleted = OnMeasurementsCompleted;
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricFamily)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Every family, sorted by name, observable instruments freshly observed, then the collector's own dropped-series counter.</summary>
    public IReadOnlyList<MetricFamilySnapshot> Collect()
    {
        lock (_scrapeLock)
        {
            MetricFamily[] families;
            lock (_familiesLock)
            {
                families = [.. _families.Values];
            }

            foreach (var family in families.Where(f => f.IsObservable))
            {
                family.ResetForCollection();
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One failing callback must not cost the scrape every other series.
                _logger.LogWarning(ex, "An observable instrument failed while collecting metrics.");
            }

            Array.Sort(families, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var snapshots = new List<MetricFamilySnapshot>(families.Length + 1);
            snapshots.AddRange(families.Select(f => f.Snapshot()));
            snapshots.Add(new MetricFamilySnapshot(
                DroppedSeriesMetric,
                $"Measurements recorded into the otel_metric_overflow series because their metric had reached its cap of {_maxSeriesPerMetric} series, by metric.",
                PrometheusMetricType.Counter,
                [.. families.Where(f => f.Dropped > 0).Select(f => new MetricPointSnapshot([new("metric", f.Name)], f.Dropped))]));
            return snapshots;
        }
    }

    public string CollectText()
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        PrometheusTextWriter.Write(writer, Collect());
        return writer.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        if ((meter.Scope is not null && !ReferenceEquals(meter.Scope, _scope)) || !TelemetryNames.Matches(meter.Name, _meterPatterns))
        {
            return;
        }

        if (Describe(instrument) is not { } candidate)
        {
            return;
        }

        MetricFamily family;
        lock (_familiesLock)
        {
            if (_families.TryGetValue(candidate.Name, out var existing))
            {
                if (!existing.CanMerge(candidate))
                {
                    _logger.LogWarning("Metric {Metric} of meter {Meter} is not exported: {Name} already exists with another type or buckets.",
                        instrument.Name, meter.Name, candidate.Name);
                    return;
                }

                family = existing;
            }
            else
            {
                family = candidate;
                _families[family.Name] = family;
            }

            family.InstrumentCount++;
        }

        listener.EnableMeasurementEvents(instrument, family);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is not MetricFamily family)
        {
            return;
        }

        lock (_familiesLock)
        {
            // A disposed meter's series go with it (a module stopped, a host disposed in a test).
            if (--family.InstrumentCount == 0 && _families.TryGetValue(family.Name, out var current) && ReferenceEquals(current, family))
            {
                _families.Remove(family.Name);
            }
        }
    }

    private MetricFamily? Describe(Instrument instrument)
    {
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        (PrometheusMetricType Type, MetricAggregation Aggregation)? kind =
            definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? (PrometheusMetricType.Counter, MetricAggregation.Sum)
            : definition == typeof(UpDownCounter<>) || definition == typeof(ObservableUpDownCounter<>) ? (PrometheusMetricType.Gauge, MetricAggregation.Sum)
            : definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>) ? (PrometheusMetricType.Gauge, MetricAggregation.LastValue)
            : definition == typeof(Histogram<>) ? (PrometheusMetricType.Histogram, MetricAggregation.Histogram)
            : null;
        if (kind is not { } k)
        {
            return null;
        }

        var name = PrometheusNames.MetricName(instrument.Name, instrument.Unit, k.Type);
        var help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        var bounds = k.Type == PrometheusMetricType.Histogram ? Buckets(instrument) : null;
        return new MetricFamily(name, help, k.Type, k.Aggregation, instrument.IsObservable, bounds, _maxSeriesPerMetric);
    }

    private static double[] Buckets(Instrument instrument)
    {
        // One layout for every producer of db.client.operation.duration (Npgsql, the SQLite store, Stoa.Redis), so they
        // share one family, and fine enough for sub-millisecond round trips.
        if (instrument.Name == StoaOpenTelemetry.DbOperationDuration)
        {
            return StoaOpenTelemetry.DbOperationBuckets;
        }

        IEnumerable<double>? advice = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };

        var bounds = advice?.Where(double.IsFinite).Distinct().Order().ToArray();
        if (bounds is { Length: > 0 })
        {
            return bounds;
        }

        return instrument.Unit switch
        {
            "s" => s_secondsBuckets,
            "By" => s_byteBuckets,
            _ => s_defaultBuckets,
        };
    }
}
