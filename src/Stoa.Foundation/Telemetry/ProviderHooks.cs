using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Stoa.Foundation.Telemetry;

/// <summary>A registration applied to the tracer provider as it is built (tests add an in-memory exporter).</summary>
internal sealed record TracingHook(Action<TracerProviderBuilder> Configure);

/// <summary>A registration applied to the meter provider as it is built.</summary>
internal sealed record MetricsHook(Action<MeterProviderBuilder> Configure);
