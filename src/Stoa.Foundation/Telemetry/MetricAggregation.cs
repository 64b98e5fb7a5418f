namespace Stoa.Foundation.Telemetry;

/// <summary>How measurements of one series combine between scrapes.</summary>
internal enum MetricAggregation
{
    /// <summary>Counters and up-down counters add their deltas; observable ones report totals, summed within one scrape.</summary>
    Sum,

    /// <summary>Gauges keep the last value.</summary>
    LastValue,

    /// <summary>Explicit-bucket histogram with sum and count.</summary>
    Histogram,
}
