using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// OpenTelemetry's standard wiring (OpenTelemetry.Extensions.Hosting and the ASP.NET Core, HttpClient, runtime and
/// Npgsql instrumentations), set up only for the signals something receives. With no OTLP endpoint and no test
/// processor there is no tracer provider at all: no <see cref="System.Diagnostics.ActivityListener"/> listens to
/// <c>Stoa.*</c>, <c>Npgsql</c> or <c>System.Net.Http</c>, so no span is created, and ASP.NET Core's diagnostic
/// events stay off (the instrumentation's subscription alone would make hosting raise two per request). Metrics go to
/// <c>/metrics</c> whatever happens here (<see cref="PrometheusCollector"/>); a meter provider exists only to export
/// them over OTLP.
/// </summary>
internal static class StoaOpenTelemetry
{
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>
    /// Finer than the semantic conventions' advice (1 ms … 10 s), whose first bucket holds every Redis round trip
    /// on a LAN (about 0.06 ms here) and most SQLite statements; applied to <c>/metrics</c> and to the OTLP export.
    /// </summary>
    public static readonly double[] DbOperationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public const string DbOperationDuration = "db.client.operation.duration";

    public static void Add(IServiceCollection services, IConfiguration configuration, TelemetryOptions options)
    {
        services.AddSingleton(options);
        services.AddOpenTelemetry().ConfigureResource(resource => ConfigureResource(resource, configuration));
        if (options.ExportsTraces(configuration))
        {
            AddTracing(services);
            services.ConfigureOpenTelemetryTracerProvider(tracing =>
                tracing.AddOtlpExporter(exporter => ApplyEndpoint(options, configuration, exporter, "/v1/traces")));
        }

        if (options.ExportsMetrics(configuration))
        {
            AddMetrics(services);
            // A periodic reader; OTEL_METRIC_EXPORT_INTERVAL and the other OTEL_* settings are read by the exporter.
            services.ConfigureOpenTelemetryMeterProvider(metrics =>
                metrics.AddOtlpExporter(exporter => ApplyEndpoint(options, configuration, exporter, "/v1/metrics")));
        }
    }

    /// <summary>The tracer provider and its sources, once however many callers ask (the OTLP export, a test's processor).</summary>
    public static void AddTracing(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(TracingRegistered)))
        {
            return;
        }

        services.AddSingleton<TracingRegistered>();
        // W3C trace context only, no baggage (Stoa sets none). The SDK's default (trace context and baggage) makes
        // the HttpClient instrumentation write a traceparent on every request itself, past the propagator each
        // client chose: previews and the quote provider, which call third parties, choose to send none.
        Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
        services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(TelemetryNames.StoaPattern)
            // Probes and scrapes would each start a trace of one span, every few seconds, on every node.
            .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !TelemetryNames.IsProbe(context.Request.Path))
            .AddHttpClientInstrumentation()
            .AddNpgsql());
        services.ConfigureOpenTelemetryTracerProvider(static (sp, builder) =>
        {
            // Parent-based: a caller's sampled (or not) traceparent is obeyed; only traces that start here are drawn.
            if (sp.GetService<TelemetryOptions>()?.SamplingRatio is { } ratio)
            {
                builder.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)));
            }
        });
    }

    /// <summary>The meter provider for OTLP (or a test's reader): the same meters as <c>/metrics</c>.</summary>
    public static void AddMetrics(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(MetricsRegistered)))
        {
            return;
        }

        services.AddSingleton<MetricsRegistered>();
        // No HttpClient instrumentation: its server.address tag takes one value per host previews fetches (unbounded);
        // modules record their upstream calls with closed tag sets instead.
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddNpgsqlInstrumentation()
            .AddMeter([.. TelemetryNames.Meters])
            .AddView(DbOperationDuration, new ExplicitBucketHistogramConfiguration { Boundaries = DbOperationBuckets }));
    }

    private static void ApplyEndpoint(TelemetryOptions options, IConfiguration configuration, OtlpExporterOptions exporter, string httpPath)
    {
        var http = options.UsesHttpProtobuf(configuration);
        if (options.OtlpProtocol.Length > 0)
        {
            exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        }

        if (options.OtlpEndpoint.Length > 0)
        {
            // The exporter appends the signal's path only to an endpoint read from OTEL_EXPORTER_OTLP_ENDPOINT.
            exporter.Endpoint = new Uri(http ? options.OtlpEndpoint.TrimEnd('/') + httpPath : options.OtlpEndpoint);
        }
    }

    private static void ConfigureResource(ResourceBuilder resource, IConfiguration configuration)
    {
        var serviceName = configuration[ServiceNameVariable];
        resource.Clear()
            .AddService(
                string.IsNullOrWhiteSpace(serviceName) ? TelemetryNames.DefaultServiceName : serviceName,
                serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}",
                autoGenerateServiceInstanceId: false)
            .AddTelemetrySdk()
            // OTEL_RESOURCE_ATTRIBUTES (deployment.environment, k8s.pod.name…), read from the app's configuration.
            .AddEnvironmentVariableDetector();
    }

    private sealed class TracingRegistered;

    private sealed class MetricsRegistered;
}
