using System.Globalization;
using Microsoft.Extensions.Configuration;
using Stoa.Foundation.Hosting;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// <c>Stoa:Telemetry</c>: where traces and metrics go over OTLP and how many traces are kept. Every value may be left
/// unset; the standard <c>OTEL_*</c> variables (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_TRACES_SAMPLER</c>…) then
/// apply as OpenTelemetry documents them. A value set here wins over its <c>OTEL_*</c> counterpart.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Stoa:Telemetry";

    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string MetricsEndpointVariable = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";

    /// <summary>An OTLP collector (<c>http://otel-collector:4317</c>); empty (the default) exports nothing.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318); empty: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else grpc.</summary>
    public string OtlpProtocol { get; set; } = "";

    /// <summary>
    /// Share of the traces that start here (requests without a sampled <c>traceparent</c>) that are recorded, 0 to 1.
    /// A caller's decision is always kept (parent-based). Unset: <c>OTEL_TRACES_SAMPLER</c>, else every trace.
    /// </summary>
    public double? SamplingRatio { get; set; }

    public bool UsesHttpProtobuf(IConfiguration configuration)
    {
        var protocol = OtlpProtocol.Length > 0 ? OtlpProtocol : configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] ?? "";
        return protocol.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Spans are exported when an endpoint is set here, or by the generic or the traces <c>OTEL_*</c> variable.</summary>
    public bool ExportsTraces(IConfiguration configuration) => ExportsSignal(configuration, TracesEndpointVariable);

    /// <summary>Metrics are exported when an endpoint is set here, or by the generic or the metrics <c>OTEL_*</c> variable.</summary>
    public bool ExportsMetrics(IConfiguration configuration) => ExportsSignal(configuration, MetricsEndpointVariable);

    public static TelemetryOptions Read(IConfiguration configuration) =>
        ModuleOptions.Read<TelemetryOptions>(configuration.GetSection(Section), o => o.Validate());

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (OtlpEndpoint.Length > 0 && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"{Section}:OtlpEndpoint: '{OtlpEndpoint}' is not an http:// or https:// URL (http://otel-collector:4317).");
        }

        if (OtlpProtocol.Length > 0 && !OtlpProtocol.Equals("grpc", StringComparison.OrdinalIgnoreCase)
            && !OtlpProtocol.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Section}:OtlpProtocol: '{OtlpProtocol}' is neither grpc nor http/protobuf.");
        }

        if (SamplingRatio is { } ratio && (double.IsNaN(ratio) || ratio is < 0 or > 1))
        {
            errors.Add($"{Section}:SamplingRatio: must be between 0 and 1 (0.01 keeps one trace in a hundred); it is {ratio.ToString(CultureInfo.InvariantCulture)}.");
        }

        return errors;
    }

    private bool ExportsSignal(IConfiguration configuration, string signalVariable) =>
        OtlpEndpoint.Length > 0
        || !string.IsNullOrWhiteSpace(configuration[EndpointVariable])
        || !string.IsNullOrWhiteSpace(configuration[signalVariable]);
}
