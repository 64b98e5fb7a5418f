using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Tests.Telemetry;

/// <summary>The collector fed by real instruments: aggregation per kind, buckets, caps, scopes and meter disposal.</summary>
public sealed class PrometheusCollectorTests
{
    // Each test has its own meter name so that tests running in parallel never read each other's series.
    private static string MeterName() => "Stoa.CollectorTest" + Guid.NewGuid().ToString("N");

    private static MetricFamilySnapshot Family(PrometheusCollector collector, string name) =>
        collector.Collect().Single(f => f.Name == name);

    private static MetricPointSnapshot Point(MetricFamilySnapshot family, string label, string value) =>
        family.Points.Single(p => p.Labels.Any(l => l.Key == label && l.Value == value));

    [Fact]
    public void Counters_sum_per_label_set_and_sanitise_tags()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name]);
        var counter = meter.CreateCounter<long>("stoa.test.votes", "{vote}", "Votes cast.");

        counter.Add(2, new KeyValuePair<string, object?>("vote.kind", "up"));
        counter.Add(3, new KeyValuePair<string, object?>("vote.kind", "up"));
        counter.Add(1, new KeyValuePair<string, object?>("vote.kind", "down"));
        counter.Add(-5, new KeyValuePair<string, object?>("vote.kind", "up"));

        var family = Family(collector, "stoa_test_votes_total");
        family.Type.ShouldBe(PrometheusMetricType.Counter);
        family.Help.ShouldBe("Votes cast.");
        Point(family, "vote_kind", "up").Value.ShouldBe(5);
        Point(family, "vote_kind", "down").Value.ShouldBe(1);
    }

    [Fact]
    public void Histograms_use_the_advised_buckets_and_count_bounds_as_inclusive()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name]);
        var histogram = meter.CreateHistogram("stoa.test.duration", "s", "d", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });

        foreach (var value in new[] { 0.05, 0.1, 0.5, 1, 3, 20 })
        {
            histogram.Record(value);
        }

        var point = Family(collector, "stoa_test_duration_seconds").Points.ShouldHaveSingleItem();
        point.Histogram.ShouldNotBeNull();
        point.Histogram.Bounds.ShouldBe([0.1, 1, 10]);
        point.Histogram.BucketCounts.ShouldBe([2L, 2, 1, 1]);
        point.Histogram.Count.ShouldBe(6);
        point.Histogram.Sum.ShouldBe(24.65, 1e-9);
    }

    [Fact]
    public void Histograms_without_advice_get_default_buckets_by_unit()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name]);
        meter.CreateHistogram<double>("stoa.test.wait", "s").Record(0.2);
        meter.CreateHistogram<int>("stoa.test.ms", "ms").Record(7);

        var families = collector.Collect();
        families.Single(f => f.Name == "stoa_test_wait_seconds").Points[0].Histogram!.Bounds[0].ShouldBe(0.005);
        var ms = families.Single(f => f.Name == "stoa_test_ms_milliseconds").Points[0].Histogram!;
        ms.Bounds.ShouldContain(10_000);
        ms.Count.ShouldBe(1);
    }

    [Fact]
    public void Up_down_counters_and_gauges_are_gauges()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name]);
        var active = meter.CreateUpDownCounter<int>("stoa.test.active", "{connection}");
        active.Add(3);
        active.Add(-1);
        var gauge = meter.CreateGauge<double>("stoa.test.temperature", "Cel");
        gauge.Record(20);
        gauge.Record(21.5);

        var families = collector.Collect();
        var activeFamily = families.Single(f => f.Name == "stoa_test_active");
        activeFamily.Type.ShouldBe(PrometheusMetricType.Gauge);
        activeFamily.Points.ShouldHaveSingleItem().Value.ShouldBe(2);
        families.Single(f => f.Name == "stoa_test_temperature_celsius").Points.ShouldHaveSingleItem().Value.ShouldBe(21.5);
    }

    [Fact]
    public void Observable_gauges_are_observed_on_each_scrape_and_vanished_series_disappear()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name]);
        var hosts = new Dictionary<string, int> { ["a.example"] = 2, ["b.example"] = 0 };
        meter.CreateObservableGauge("stoa.test.breaker.state",
            () => hosts.Select(h => new Measurement<int>(h.Value, new KeyValuePair<string, object?>("host", h.Key))));
        var total = 0L;
        meter.CreateObservableCounter("stoa.test.ticks", () => total, "{tick}");

        total = 5;
        var first = collector.Collect();
        first.Single(f => f.Name == "stoa_test_breaker_state").Points.Count.ShouldBe(2);
        first.Single(f => f.Name == "stoa_test_ticks_total").Points.ShouldHaveSingleItem().Value.ShouldBe(5);

        hosts.Remove("b.example");
        hosts["a.example"] = 1;
        total = 9;
        var second = collector.Collect();
        var point = second.Single(f => f.Name == "stoa_test_breaker_state").Points.ShouldHaveSingleItem();
        point.Labels.ShouldBe([new KeyValuePair<string, string>("host", "a.example")]);
        point.Value.ShouldBe(1);
        second.Single(f => f.Name == "stoa_test_ticks_total").Points.ShouldHaveSingleItem().Value.ShouldBe(9);
    }

    [Fact]
    public void Repeated_tag_sets_in_any_order_or_value_instance_reach_the_same_series()
    {
        // Measurements with a tag set seen before skip building its labels (MetricFamily's recent series); that
        // shortcut must give the series the slow path gives.
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name]);
        var histogram = meter.CreateHistogram<double>("stoa.test.duration", "s");
        KeyValuePair<string, object?> Route(string route) => new("http.route", route);
        KeyValuePair<string, object?> Status(int status) => new("http.response.status_code", status);

        for (var i = 0; i < 5; i++)
        {
            histogram.Record(0.001, Route("/v1/a"), Status(200));
            histogram.Record(0.001, Status(200), Route(string.Concat("/v1/", "a")));
            histogram.Record(0.001, Route("/v1/a"), Status(404));
            histogram.Record(0.001, Route("/v1/a"), new KeyValuePair<string, object?>("http.response.status_code", 200L));
        }

        var family = Family(collector, "stoa_test_duration_seconds");
        family.Points.Count.ShouldBe(2);
        family.Points.Single(p => p.Labels.Contains(new("http_response_status_code", "200"))).Histogram!.Count.ShouldBe(15);
        family.Points.Single(p => p.Labels.Contains(new("http_response_status_code", "404"))).Histogram!.Count.ShouldBe(5);
    }

    [Fact]
    public void A_tag_set_sent_to_overflow_is_counted_as_dropped_every_time()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name], maxSeriesPerMetric: 1);
        var counter = meter.CreateCounter<int>("stoa.test.hits");
        counter.Add(1, new KeyValuePair<string, object?>("user", "kept"));
        for (var i = 0; i < 4; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("user", "over"));
        }

        var families = collector.Collect();
        Point(Family(collector, "stoa_test_hits_total"), "otel_metric_overflow", "true").Value.ShouldBe(4);
        Point(families.Single(f => f.Name == PrometheusCollector.DroppedSeriesMetric), "metric", "stoa_test_hits_total").Value.ShouldBe(4);
    }

    [Fact]
    public void Series_beyond_the_cap_go_to_one_overflow_series_and_are_counted()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name], maxSeriesPerMetric: 3);
        var counter = meter.CreateCounter<int>("stoa.test.requests");
        for (var i = 0; i < 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("user", "u" + i));
        }

        counter.Add(1, new KeyValuePair<string, object?>("user", "u0"));

        var families = collector.Collect();
        var family = families.Single(f => f.Name == "stoa_test_requests_total");
        family.Points.Count.ShouldBe(4);
        Point(family, "user", "u0").Value.ShouldBe(2);
        Point(family, "otel_metric_overflow", "true").Value.ShouldBe(7);
        family.Points.Sum(p => p.Value).ShouldBe(11);

        var dropped = families.Single(f => f.Name == PrometheusCollector.DroppedSeriesMetric);
        dropped.Type.ShouldBe(PrometheusMetricType.Counter);
        Point(dropped, "metric", "stoa_test_requests_total").Value.ShouldBe(7);
    }

    [Fact]
    public void Meters_of_another_host_are_ignored_and_meters_not_matched_are_ignored()
    {
        var name = MeterName();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var collector = new PrometheusCollector(factory, [name]);

        factory.Create(name).CreateCounter<int>("stoa.test.mine").Add(1);
        otherHost.GetRequiredService<IMeterFactory>().Create(name).CreateCounter<int>("stoa.test.theirs").Add(1);
        using var unmatched = new Meter("Other" + name);
        unmatched.CreateCounter<int>("stoa.test.unmatched").Add(1);

        var names = collector.Collect().Select(f => f.Name).ToList();
        names.ShouldContain("stoa_test_mine_total");
        names.ShouldNotContain("stoa_test_theirs_total");
        names.ShouldNotContain("stoa_test_unmatched_total");
    }

    [Fact]
    public void Two_instruments_with_one_name_feed_one_family_and_a_disposed_meter_takes_its_series_away()
    {
        var name = MeterName();
        using var collector = new PrometheusCollector(null, [name]);
        var first = new Meter(name);
        using var second = new Meter(name);
        first.CreateCounter<long>("stoa.test.shared").Add(2);
        second.CreateCounter<double>("stoa.test.shared").Add(3);
        Family(collector, "stoa_test_shared_total").Points.ShouldHaveSingleItem().Value.ShouldBe(5);

        first.Dispose();
        collector.Collect().ShouldContain(f => f.Name == "stoa_test_shared_total");
        second.Dispose();
        collector.Collect().ShouldNotContain(f => f.Name == "stoa_test_shared_total");
    }

    [Fact]
    public async Task Concurrent_measurements_and_scrapes_lose_nothing()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name]);
        var counter = meter.CreateCounter<long>("stoa.test.hits");
        var histogram = meter.CreateHistogram<double>("stoa.test.latency", "ms");

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("worker", w % 2));
                histogram.Record(i % 100);
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        while (!writers.All(t => t.IsCompleted))
        {
            collector.CollectText().ShouldContain("stoa_test_hits_total");
        }

        await Task.WhenAll(writers);
        var families = collector.Collect();
        families.Single(f => f.Name == "stoa_test_hits_total").Points.Sum(p => p.Value).ShouldBe(40_000);
        var latency = families.Single(f => f.Name == "stoa_test_latency_milliseconds").Points.ShouldHaveSingleItem().Histogram!;
        latency.Count.ShouldBe(40_000);
        latency.BucketCounts.Sum().ShouldBe(40_000);
    }

    [Fact]
    public void Text_output_parses_as_prometheus_families()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(null, [name]);
        meter.CreateCounter<int>("stoa.test.text", description: "Multi\nline \\ help").Add(1, new KeyValuePair<string, object?>("q", "a\"b"));

        var text = collector.CollectText();
        text.ShouldContain("# HELP stoa_test_text_total Multi\\nline \\\\ help\n# TYPE stoa_test_text_total counter\nstoa_test_text_total{q=\"a\\\"b\"} 1\n");
        text.ShouldContain("# TYPE stoa_metrics_dropped_series_total counter\n");
    }
}
