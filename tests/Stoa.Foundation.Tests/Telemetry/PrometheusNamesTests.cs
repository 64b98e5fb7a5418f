using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Tests.Telemetry;

public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("http.server.request.duration", "s", "Histogram", "http_server_request_duration_seconds")]
    [InlineData("http.server.active_requests", "{request}", "Gauge", "http_server_active_requests")]
    [InlineData("stoa.comments.votes", "{vote}", "Counter", "stoa_comments_votes_total")]
    [InlineData("stoa.comments.votes_total", null, "Counter", "stoa_comments_votes_total")]
    [InlineData("stoa.previews.upstream.bytes", "By", "Counter", "stoa_previews_upstream_bytes_total")]
    [InlineData("stoa.previews.upstream.duration", "ms", "Histogram", "stoa_previews_upstream_duration_milliseconds")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", "Counter", "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("process.cpu.utilization", "1", "Gauge", "process_cpu_utilization_ratio")]
    [InlineData("stoa.quotes.hits", "1", "Counter", "stoa_quotes_hits_total")]
    [InlineData("stoa.docs.throughput", "By/s", "Gauge", "stoa_docs_throughput_bytes_per_second")]
    [InlineData("stoa.docs.lag.seconds", "s", "Gauge", "stoa_docs_lag_seconds")]
    [InlineData("stoa.weird-name/with spaces", "{thing}", "Gauge", "stoa_weird_name_with_spaces")]
    [InlineData("stoa..double__underscore", null, "Gauge", "stoa_double_underscore")]
    [InlineData("2xx.responses", null, "Counter", "_2xx_responses_total")]
    [InlineData("kestrel.queued:connections", null, "Gauge", "kestrel_queued:connections")]
    public void Metric_names_follow_the_opentelemetry_prometheus_conventions(string instrument, string? unit, string type, string expected)
    {
        PrometheusNames.MetricName(instrument, unit, Enum.Parse<PrometheusMetricType>(type)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("http.route", "http_route")]
    [InlineData("http.response.status_code", "http_response_status_code")]
    [InlineData("error.type", "error_type")]
    [InlineData("1st", "key_1st")]
    [InlineData("a:b", "a_b")]
    [InlineData("émoji👍", "_moji_")]
    public void Label_names_are_sanitised(string key, string expected)
    {
        PrometheusNames.LabelName(key).ShouldBe(expected);
    }
}
