using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Stoa.Foundation.Telemetry;

/// <summary>Registrations for the platform's telemetry and for each module's <see cref="ModuleTelemetry"/>.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The <c>/metrics</c> collector, always; OpenTelemetry's tracer and meter providers when <c>Stoa:Telemetry</c> or
    /// the <c>OTEL_EXPORTER_OTLP_*</c> variables name a collector (see <see cref="StoaOpenTelemetry"/>).
    /// </summary>
    public static IServiceCollection AddStoaTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.TryAddSingleton(sp => new PrometheusCollector(
            sp.GetService<IMeterFactory>(),
            TelemetryNames.Meters,
            PrometheusCollector.DefaultMaxSeriesPerMetric,
            sp.GetService<ILoggerFactory>()?.CreateLogger("Stoa.Foundation.Telemetry.Metrics")));
        StoaOpenTelemetry.Add(services, configuration, TelemetryOptions.Read(configuration));
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

    /// <summary>
    /// Records spans whether or not they are exported, and hands them to <paramref name="configure"/>'s processor or
    /// exporter as they end (tests collect them in memory).
    /// </summary>
    public static IServiceCollection ConfigureStoaTracing(this IServiceCollection services, Action<TracerProviderBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        StoaOpenTelemetry.AddTracing(services);
        return services.ConfigureOpenTelemetryTracerProvider(configure);
    }

    /// <summary>Builds the OpenTelemetry meter provider even without OTLP, with <paramref name="configure"/>'s reader or exporter.</summary>
    public static IServiceCollection ConfigureStoaMetrics(this IServiceCollection services, Action<MeterProviderBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        StoaOpenTelemetry.AddMetrics(services);
        return services.ConfigureOpenTelemetryMeterProvider(configure);
    }
}
