using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.Telemetry;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Telemetry;

/// <summary>
/// The tracer provider exists, and listens to Stoa's sources, only when something receives the spans: an OTLP
/// endpoint (Stoa:Telemetry or the OTEL_* variables) or a test's processor. Sampling follows Stoa:Telemetry:SamplingRatio.
/// </summary>
public sealed class TracerProviderTests
{
    [Fact]
    public void Without_an_endpoint_or_a_processor_there_is_no_provider_and_no_span()
    {
        using var services = Services([]);
        services.GetService<TracerProvider>().ShouldBeNull();
        services.GetService<MeterProvider>().ShouldBeNull();
        using var source = new ActivitySource(UniqueStoaSource());

        source.HasListeners().ShouldBeFalse();
        source.StartActivity("probe").ShouldBeNull();
    }

    [Fact]
    public void A_processor_added_with_ConfigureStoaTracing_receives_module_spans()
    {
        var spans = new RecordedSpans();
        using var services = Services([], s => s.ConfigureStoaTracing(t => spans.AddTo(t)));
        using var source = new ActivitySource(UniqueStoaSource());
        services.GetRequiredService<TracerProvider>();

        using (var activity = source.StartActivity("probe"))
        {
            activity.ShouldNotBeNull();
            activity.Recorded.ShouldBeTrue();
        }

        spans.Where(s => s.Source == source).Select(s => s.DisplayName).ShouldBe(["probe"]);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    [InlineData("Stoa:Telemetry:OtlpEndpoint")]
    public void An_otlp_traces_endpoint_builds_the_tracer_provider(string setting)
    {
        using var services = Services(new() { [setting] = "http://127.0.0.1:1" });
        services.GetService<TracerProvider>().ShouldNotBeNull();
        using var source = new ActivitySource(UniqueStoaSource());
        source.HasListeners().ShouldBeTrue();
    }

    [Fact]
    public void An_otlp_metrics_endpoint_alone_exports_metrics_but_records_no_span()
    {
        using var services = Services(new() { ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = "http://127.0.0.1:1" });
        services.GetService<TracerProvider>().ShouldBeNull();
        services.GetService<MeterProvider>().ShouldNotBeNull();
    }

    [Fact]
    public void A_sampling_ratio_of_zero_records_no_root_but_keeps_a_sampled_callers_trace()
    {
        var spans = new RecordedSpans();
        using var services = Services(new() { ["Stoa:Telemetry:SamplingRatio"] = "0" }, s => s.ConfigureStoaTracing(t => spans.AddTo(t)));
        services.GetRequiredService<TracerProvider>();
        using var source = new ActivitySource(UniqueStoaSource());

        using (var root = source.StartActivity("root"))
        {
            (root?.Recorded ?? false).ShouldBeFalse();
        }

        var caller = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using (var child = source.StartActivity("child", ActivityKind.Server, caller))
        {
            child.ShouldNotBeNull();
            child.Recorded.ShouldBeTrue();
        }

        spans.Where(s => s.Source == source).Select(s => s.DisplayName).ShouldBe(["child"]);
    }

    [Theory]
    [InlineData("SamplingRatio", "1.5", "Stoa:Telemetry:SamplingRatio")]
    [InlineData("OtlpEndpoint", "collector:4317", "Stoa:Telemetry:OtlpEndpoint")]
    [InlineData("OtlpProtocol", "udp", "Stoa:Telemetry:OtlpProtocol")]
    public void A_bad_setting_stops_start_up_naming_it(string key, string value, string named)
    {
        var error = Should.Throw<InvalidConfigurationException>(() => Services(new() { ["Stoa:Telemetry:" + key] = value }));
        error.Message.ShouldContain(named);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddStoaTelemetry(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    // A name of its own, so that another test's provider in this process cannot be what listens.
    private static string UniqueStoaSource() => "Stoa.TracerProviderTest" + Guid.NewGuid().ToString("N");
}
