using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Stoa.Foundation.Telemetry;

/// <summary>Registrations for the platform's telemetry and for each module's <see cref="ModuleTelemetry"/>.</summary>
public static class TelemetryServiceCollectionExtensions
{
    private const string SuppressAspNetCoreActivityTagsSwitch = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    /// <summary>
    /// The <c>/metrics</c> collector, the tracer provider (modules' sources and ASP.NET Core's per-request span) and the
    /// meter provider; both providers export over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static IServiceCollection AddStoaTelemetry(this IServiceCollection services)
    {
        // ASP.NET Core 10 leaves the OpenTelemetry tags (http.route, http.response.status_code…) off its request span
        // unless asked; .NET 11 turns them on by default. An explicit choice in runtimeconfig.json is left alone.
        if (!AppContext.TryGetSwitch(SuppressAspNetCoreActivityTagsSwitch, out _))
        {
            AppContext.SetSwitch(SuppressAspNetCoreActivityTagsSwitch, false);
        }

        services.AddMetrics();
        services.TryAddSingleton(sp => new PrometheusCollector(
            sp.GetService<IMeterFactory>(),
            TelemetryNames.Meters,
            PrometheusCollector.DefaultMaxSeriesPerMetric,
            sp.GetService<ILoggerFactory>()?.CreateLogger("Stoa.Foundation.Telemetry.Metrics")));
        services.TryAddSingleton(OpenTelemetryProviders.CreateTracerProvider);
        services.TryAddSingleton(OpenTelemetryProviders.CreateMeterProvider);
        services.AddHostedService<TelemetryStartup>();
        return services;
    }

    /// <summary>
    /// Registers the module's <see cref="ModuleTelemetry"/> as a singleton keyed by the module name, its meter created
    /// through the host's <see cref="IMeterFactory"/>. Inject it with <c>[FromKeyedServices("comments")] ModuleTelemetry telemetry</c>.
    /// </summary>
    public static IServiceCollection AddModuleTelemetry(this IServiceCollection services, string module)
    {
        _ = ModuleTelemetry.SourceName(module);
        services.TryAddKeyedSingleton(module, (sp, _) => new ModuleTelemetry(module, sp.GetService<IMeterFactory>()));
        return services;
    }

    /// <summary>Applied to the tracer provider as it is built: add a processor or exporter (tests collect spans in memory).</summary>
    public static IServiceCollection ConfigureStoaTracing(this IServiceCollection services, Action<TracerProviderBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSingleton(new TracingHook(configure));
    }

    /// <summary>Applied to the meter provider as it is built: add a reader or exporter.</summary>
    public static IServiceCollection ConfigureStoaMetrics(this IServiceCollection services, Action<MeterProviderBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSingleton(new MetricsHook(configure));
    }
}
