using System.Globalization;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Tests.Telemetry;

public sealed class PrometheusTextWriterTests
{
    private static string Write(params MetricFamilySnapshot[] families)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        PrometheusTextWriter.Write(writer, families);
        return writer.ToString();
    }

    private static KeyValuePair<string, string> Label(string name, string value) => new(name, value);

    [Fact]
    public void Counter_has_help_type_and_one_line_per_series()
    {
        var text = Write(new MetricFamilySnapshot("stoa_comments_votes_total", "Votes cast.", PrometheusMetricType.Counter,
        [
            new([Label("kind", "down")], 2),
            new([Label("kind", "up")], 40),
        ]));

        text.ShouldBe(
            "# HELP stoa_comments_votes_total Votes cast.\n" +
            "# TYPE stoa_comments_votes_total counter\n" +
            "stoa_comments_votes_total{kind=\"down\"} 2\n" +
            "stoa_comments_votes_total{kind=\"up\"} 40\n");
    }

    [Fact]
    public void Gauge_without_labels_has_no_braces()
    {
        Write(new MetricFamilySnapshot("kestrel_active_connections", "Open connections.", PrometheusMetricType.Gauge, [new([], 3)]))
            .ShouldEndWith("# TYPE kestrel_active_connections gauge\nkestrel_active_connections 3\n");
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_and_end_with_inf_equal_to_count()
    {
        // 1 value <= 0.1, 0 in (0.1, 0.5], 3 in (0.5, 1], 2 above 1.
        var histogram = new HistogramSnapshot([0.1, 0.5, 1], [1, 0, 3, 2], 9.25, 6);
        var text = Write(new MetricFamilySnapshot("http_server_request_duration_seconds", "Duration.", PrometheusMetricType.Histogram,
            [new([Label("http_route", "/v1/x")], 0, histogram)]));

        text.ShouldBe(
            "# HELP http_server_request_duration_seconds Duration.\n" +
            "# TYPE http_server_request_duration_seconds histogram\n" +
            "http_server_request_duration_seconds_bucket{http_route=\"/v1/x\",le=\"0.1\"} 1\n" +
            "http_server_request_duration_seconds_bucket{http_route=\"/v1/x\",le=\"0.5\"} 1\n" +
            "http_server_request_duration_seconds_bucket{http_route=\"/v1/x\",le=\"1\"} 4\n" +
            "http_server_request_duration_seconds_bucket{http_route=\"/v1/x\",le=\"+Inf\"} 6\n" +
            "http_server_request_duration_seconds_sum{http_route=\"/v1/x\"} 9.25\n" +
            "http_server_request_duration_seconds_count{http_route=\"/v1/x\"} 6\n");
    }

    [Fact]
    public void Histogram_without_labels_has_only_le()
    {
        var text = Write(new MetricFamilySnapshot("h", "h", PrometheusMetricType.Histogram, [new([], 0, new HistogramSnapshot([5], [0, 1], 7, 1))]));
        text.ShouldContain("h_bucket{le=\"5\"} 0\nh_bucket{le=\"+Inf\"} 1\nh_sum 7\nh_count 1\n");
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline()
    {
        var text = Write(new MetricFamilySnapshot("g", "g", PrometheusMetricType.Gauge,
            [new([Label("path", "C:\\dir\\\"quoted\"\nnext")], 1)]));
        text.ShouldContain("g{path=\"C:\\\\dir\\\\\\\"quoted\\\"\\nnext\"} 1\n");
    }

    [Fact]
    public void Help_escapes_backslash_and_newline_but_not_quotes()
    {
        var text = Write(new MetricFamilySnapshot("g", "Line one\nsays \"a\\b\"", PrometheusMetricType.Gauge, []));
        text.ShouldBe("# HELP g Line one\\nsays \"a\\\\b\"\n# TYPE g gauge\n");
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1E+21")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(123456789012, "123456789012")]
    public void Values_use_invariant_round_trip_form(double value, string expected)
    {
        PrometheusTextWriter.FormatValue(value).ShouldBe(expected);
    }

    [Fact]
    public void Values_ignore_the_current_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            Write(new MetricFamilySnapshot("g", "g", PrometheusMetricType.Gauge, [new([], 1.5)])).ShouldEndWith("g 1.5\n");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
