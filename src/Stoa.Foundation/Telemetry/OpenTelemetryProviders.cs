using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// The OpenTelemetry SDK wired by hand (the Hosting and AspNetCore instrumentation packages are not available):
/// ASP.NET Core already starts one <c>Microsoft.AspNetCore.Hosting.HttpRequestIn</c> activity per request and emits its
/// meters, so listening to them is all the instrumentation needed.
/// </summary>
internal static class OpenTelemetryProviders
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string MetricsEndpointVariable = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    public static TracerProvider CreateTracerProvider(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var builder = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(s => s.AddSingleton(configuration))
            .ConfigureResource(r => ConfigureResource(r, configuration))
            // Parent-based: a caller's sampling decision (traceparent flags) is kept; root spans are all recorded.
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()));
        if (!RecordsTraces(services))
        {
            // No listener at all: a recorded span that no exporter receives still costs every request its tags and
            // name (about 350 B of a quote read's 2,970, docs/benchmarks.md). Hosting still starts a plain activity
            // per request for the logs, so log lines and error bodies keep their trace ids.
            return builder.Build();
        }

        builder.AddSource([.. TelemetryNames.Sources]);
        if (IsOtlpEnabled(configuration, TracesEndpointVariable))
        {
            builder.AddOtlpExporter();
        }

        foreach (var hook in services.GetServices<TracingHook>())
        {
            hook.Configure(builder);
        }

        return builder.Build();
    }

    /// <summary>Spans are recorded only when something receives them: the OTLP exporter, or a processor added with <c>ConfigureStoaTracing</c>.</summary>
    public static bool RecordsTraces(IServiceProvider services) =>
        IsOtlpEnabled(services.GetRequiredService<IConfiguration>(), TracesEndpointVariable) || services.GetServices<TracingHook>().Any();

    public static MeterProvider CreateMeterProvider(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureServices(s => s.AddSingleton(configuration))
            .ConfigureResource(r => ConfigureResource(r, configuration))
            .AddMeter([.. TelemetryNames.Meters]);
        if (IsOtlpEnabled(configuration, MetricsEndpointVariable))
        {
            // A periodic reader; OTEL_METRIC_EXPORT_INTERVAL and the other OTEL_* settings are read by the exporter.
            builder.AddOtlpExporter();
        }

        foreach (var hook in services.GetServices<MetricsHook>())
        {
            hook.Configure(builder);
        }

        return builder.Build();
    }

    /// <summary>OTLP export is on when the generic endpoint or the signal's own endpoint is set (environment or configuration).</summary>
    public static bool IsOtlpEnabled(IConfiguration configuration, string signalEndpointVariable) =>
        !string.IsNullOrWhiteSpace(configuration[EndpointVariable]) || !string.IsNullOrWhiteSpace(configuration[signalEndpointVariable]);

    private static void ConfigureResource(ResourceBuilder resource, IConfiguration configuration)
    {
        var serviceName = configuration[ServiceNameVariable];
        resource.Clear()
            .AddService(
                string.IsNullOrWhiteSpace(serviceName) ? TelemetryNames.DefaultServiceName : serviceName,
                serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}",
                autoGenerateServiceInstanceId: false)
            .AddTelemetrySdk()
            // OTEL_RESOURCE_ATTRIBUTES (deployment.environment, k8s.pod.name…) and OTEL_SERVICE_NAME, read from the
            // app's configuration, which includes the environment.
            .AddEnvironmentVariableDetector();
    }
}
