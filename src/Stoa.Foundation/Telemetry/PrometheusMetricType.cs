namespace Stoa.Foundation.Telemetry;

/// <summary>The three Prometheus types Stoa exposes (summaries and untyped are never produced).</summary>
internal enum PrometheusMetricType
{
    Counter,
    Gauge,
    Histogram,
}
