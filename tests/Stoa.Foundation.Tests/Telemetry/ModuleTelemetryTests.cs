using System.Diagnostics;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Tests.Telemetry;

public sealed class ModuleTelemetryTests
{
    [Theory]
    [InlineData("comments", "Stoa.Comments")]
    [InlineData("link_cards", "Stoa.LinkCards")]
    [InlineData("v2", "Stoa.V2")]
    public void Names_follow_the_module(string module, string expected)
    {
        using var telemetry = new ModuleTelemetry(module);
        telemetry.Name.ShouldBe(expected);
        telemetry.Meter.Name.ShouldBe(expected);
        telemetry.ActivitySource.Name.ShouldBe(expected);
        telemetry.InstrumentName("votes").ShouldBe($"stoa.{module}.votes");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Comments")]
    [InlineData("1st")]
    [InlineData("link-cards")]
    [InlineData("stoa.comments")]
    public void Module_names_are_lower_case_identifiers(string module)
    {
        Should.Throw<ArgumentException>(() => new ModuleTelemetry(module));
    }

    [Fact]
    public void Instruments_are_named_and_spans_are_prefixed_with_the_module()
    {
        using var telemetry = new ModuleTelemetry("moduletest" + Guid.NewGuid().ToString("N")[..8]);
        telemetry.CreateCounter<long>("votes", "{vote}").Name.ShouldBe($"stoa.{telemetry.Module}.votes");
        var histogram = telemetry.CreateHistogram<double>("latency", "ms", buckets: [1, 10]);
        histogram.Advice!.HistogramBucketBoundaries.ShouldBe([1d, 10]);

        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == telemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var activity = telemetry.StartActivity("store.insert");
        activity.ShouldNotBeNull().OperationName.ShouldBe($"{telemetry.Module}.store.insert");
    }

    [Fact]
    public void Observable_instruments_take_a_single_value_or_measurements()
    {
        using var telemetry = new ModuleTelemetry("moduletest" + Guid.NewGuid().ToString("N")[..8]);
        telemetry.CreateObservableGauge("clients", () => 3, "{client}").Name.ShouldBe($"stoa.{telemetry.Module}.clients");
        telemetry.CreateObservableGauge("breaker.state", () => new[] { new System.Diagnostics.Metrics.Measurement<int>(1) }).Unit.ShouldBeNull();
        telemetry.CreateObservableCounter("hits", () => 5L, "{hit}").Name.ShouldBe($"stoa.{telemetry.Module}.hits");
        telemetry.CreateObservableUpDownCounter("entries", () => 2, "{entry}").Name.ShouldBe($"stoa.{telemetry.Module}.entries");
    }
}
