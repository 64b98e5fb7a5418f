using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Tests.Telemetry;

/// <summary>The tracer provider listens to Stoa's and ASP.NET Core's sources only when something receives the spans.</summary>
public sealed class TracerProviderTests
{
    [Fact]
    public void Without_an_exporter_or_a_processor_no_span_is_recorded()
    {
        using var services = Services(new Dictionary<string, string?>());
        using var provider = OpenTelemetryProviders.CreateTracerProvider(services);
        using var source = new ActivitySource(UniqueStoaSource());

        OpenTelemetryProviders.RecordsTraces(services).ShouldBeFalse();
        source.HasListeners().ShouldBeFalse();
        source.StartActivity("probe").ShouldBeNull();
    }

    [Fact]
    public void A_processor_added_with_ConfigureStoaTracing_receives_module_spans()
    {
        var exported = new List<string>();
        using var services = Services(new Dictionary<string, string?>(), s =>
            s.ConfigureStoaTracing(t => t.AddProcessor(new SimpleActivityExportProcessor(new ListExporter(exported)))));
        using var provider = OpenTelemetryProviders.CreateTracerProvider(services);
        using var source = new ActivitySource(UniqueStoaSource());

        OpenTelemetryProviders.RecordsTraces(services).ShouldBeTrue();
        using (var activity = source.StartActivity("probe"))
        {
            activity.ShouldNotBeNull();
            activity.Recorded.ShouldBeTrue();
        }

        exported.ShouldBe(["probe"]);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    public void An_otlp_traces_endpoint_turns_recording_on(string variable)
    {
        using var services = Services(new Dictionary<string, string?> { [variable] = "http://127.0.0.1:1" });
        OpenTelemetryProviders.RecordsTraces(services).ShouldBeTrue();
    }

    [Fact]
    public void An_otlp_metrics_endpoint_alone_does_not()
    {
        using var services = Services(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = "http://127.0.0.1:1" });
        OpenTelemetryProviders.RecordsTraces(services).ShouldBeFalse();
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    // A name of its own, so that another test's provider in this process cannot be what listens.
    private static string UniqueStoaSource() => "Stoa.TracerProviderTest" + Guid.NewGuid().ToString("N");

    private sealed class ListExporter(List<string> names) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                names.Add(activity.DisplayName);
            }

            return ExportResult.Success;
        }
    }
}
