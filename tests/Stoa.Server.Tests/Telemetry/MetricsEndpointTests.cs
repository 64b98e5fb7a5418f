using System.Net;

namespace Stoa.Server.Tests.Telemetry;

/// <summary><c>/metrics</c> of the real app: RED metrics per route from ASP.NET Core's own meters, module meters, format.</summary>
public sealed class MetricsEndpointTests
{
    private const string Duration = "http_server_request_duration_seconds";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Scrapes until <paramref name="done"/> holds: ASP.NET Core records a request's duration just after its response is sent.</summary>
    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeUntilAsync(HttpClient client, Func<IReadOnlyList<PrometheusSample>, bool> done)
    {
        IReadOnlyList<PrometheusSample> samples = [];
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var response = await client.GetAsync("/metrics", Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
            samples = PrometheusSample.ParseAll(await response.Content.ReadAsStringAsync(Ct));
            if (done(samples))
            {
                return samples;
            }

            await Task.Delay(25, Ct);
        }

        return samples;
    }

    private static double Count(IReadOnlyList<PrometheusSample> samples, string? route, string status) =>
        samples.Where(s => s.Name == Duration + "_count" && s["http_route"] == route && s["http_response_status_code"] == status).Sum(s => s.Value);

    [Fact]
    public async Task Request_counts_and_duration_histograms_per_route()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateClient();
        for (var id = 1; id <= 3; id++)
        {
            (await client.GetAsync($"/telemetry-test/items/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        for (var i = 0; i < 2; i++)
        {
            (await client.GetAsync("/telemetry-test/boom", Ct)).StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        }

        var samples = await ScrapeUntilAsync(client, s =>
            Count(s, TelemetryTestEndpoints.ItemRoute, "200") >= 3 && Count(s, "/telemetry-test/boom", "500") >= 2);

        var count = samples.Single(s => s.Name == Duration + "_count" && s["http_route"] == TelemetryTestEndpoints.ItemRoute);
        count.Value.ShouldBe(3);
        count["http_request_method"].ShouldBe("GET");
        count["http_response_status_code"].ShouldBe("200");
        samples.Single(s => s.Name == Duration + "_sum" && s["http_route"] == TelemetryTestEndpoints.ItemRoute).Value.ShouldBeGreaterThan(0);

        var buckets = samples.Where(s => s.Name == Duration + "_bucket" && s["http_route"] == TelemetryTestEndpoints.ItemRoute).ToList();
        buckets.Count.ShouldBeGreaterThan(2);
        buckets[^1]["le"].ShouldBe("+Inf");
        buckets[^1].Value.ShouldBe(3);
        buckets.Select(b => b.Value).ShouldBeInOrder(SortDirection.Ascending, "buckets are cumulative");
        buckets.Select(b => double.Parse(b["le"]!.Replace("+Inf", "Infinity", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBeInOrder(SortDirection.Ascending);

        Count(samples, "/telemetry-test/boom", "500").ShouldBe(2);
    }

    [Fact]
    public async Task Unmatched_routes_share_one_series_without_a_route_label()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync($"/telemetry-test/nope/{Guid.NewGuid():N}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        var samples = await ScrapeUntilAsync(client, s => Count(s, null, "404") >= 5);

        var notFound = samples.Where(s => s.Name == Duration + "_count" && s["http_response_status_code"] == "404").ToList();
        notFound.ShouldHaveSingleItem().Value.ShouldBe(5);
        notFound[0]["http_route"].ShouldBeNull();
        samples.ShouldNotContain(s => s.Labels.Values.Any(v => v.Contains("nope", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Module_meters_show_up_with_their_conventional_names()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            (await client.GetAsync("/telemetry-test/work", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var samples = await ScrapeUntilAsync(client, s => s.Any(x => x.Name == "stoa_probe_items_total"));

        samples.Single(s => s.Name == "stoa_probe_items_total")["outcome"].ShouldBe("ok");
        samples.Single(s => s.Name == "stoa_probe_items_total").Value.ShouldBe(6);
        samples.Single(s => s.Name == "stoa_probe_work_duration_milliseconds_count").Value.ShouldBe(2);
        samples.Where(s => s.Name == "stoa_probe_work_duration_milliseconds_bucket").Select(s => s["le"]).ShouldBe(["1", "10", "100", "+Inf"]);
    }

    [Fact]
    public async Task Scrape_is_well_formed_and_carries_kestrel_and_runtime_metrics()
    {
        await using var app = await TelemetryTestApp.StartAsync();
        using var client = app.CreateClient();
        (await client.GetAsync("/healthz", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var samples = await ScrapeUntilAsync(client, s => Count(s, "/healthz", "200") >= 1);
        var text = await client.GetStringAsync("/metrics", Ct);

        text.ShouldContain($"# TYPE {Duration} histogram\n");
        text.ShouldContain("# TYPE http_server_active_requests gauge\n");
        text.ShouldContain("# TYPE kestrel_active_connections gauge\n");
        text.ShouldContain("# TYPE dotnet_gc_collections_total counter\n");
        text.ShouldContain("# TYPE stoa_metrics_dropped_series_total counter\n");
        samples.ShouldContain(s => s.Name == "kestrel_active_connections" && s.Value >= 1);
        samples.ShouldNotContain(s => s.Name.StartsWith("http_client_", StringComparison.Ordinal), "System.Net.* is not exported");
    }
}
