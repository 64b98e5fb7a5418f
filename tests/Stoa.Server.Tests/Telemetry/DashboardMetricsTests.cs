using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Stoa.Server.Tests.Deploy;
using Stoa.Testing;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>
/// deploy/observability's Grafana dashboard and Prometheus alert rules read only metrics a node exports: a node on
/// PostgreSQL and Redis is exercised (every module), scraped, and every metric name in every panel and rule must be in
/// the scrape. A renamed instrument fails here instead of leaving an empty panel or an alert that can never fire.
/// </summary>
public sealed partial class DashboardMetricsTests
{
    /// <summary>Series Prometheus itself makes for every target; no node exports them.</summary>
    private static readonly HashSet<string> s_prometheusOwn = new(StringComparer.Ordinal) { "up", "scrape_duration_seconds" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Metric_names_are_found_in_promql_as_a_reader_would_find_them()
    {
        PromQlNames.Of("""histogram_quantile(0.99, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{http_route!~"/x|y"}[5m])))""")
            .ShouldBe(["http_server_request_duration_seconds_bucket"]);
        PromQlNames.Of("""sum(rate(a_total{module="$module"}[$__rate_interval])) / on (module) group_left sum(b) > 0.5 and up == 0""")
            .ShouldBe(["a_total", "b", "up"], ignoreOrder: true);
        PromQlNames.Of("""clamp_min(stoa_x offset 5m, 0) unless bool vector(1)""").ShouldBe(["stoa_x"]);
    }

    [Fact]
    public async Task The_dashboard_and_the_alert_rules_read_only_metrics_a_node_exports()
    {
        var exported = await ScrapeExercisedNodeAsync();

        var missing = new List<string>();
        foreach (var (where, expression) in DashboardExpressions().Concat(AlertExpressions()))
        {
            foreach (var name in PromQlNames.Of(expression).Where(n => !exported.Contains(n) && !s_prometheusOwn.Contains(n)))
            {
                missing.Add($"{where}: {name}");
            }
        }

        missing.ShouldBeEmpty("names in deploy/observability that no node exports (the scrape had: "
            + string.Join(", ", exported.Where(n => n.StartsWith("stoa_", StringComparison.Ordinal)).Order()) + ")");
    }

    [Fact]
    public void Every_alert_rule_has_a_one_line_expression_a_summary_and_a_severity()
    {
        var rules = RepoFiles.Read("deploy", "observability", "prometheus", "alerts.yml");
        var alerts = Regex.Matches(rules, @"^\s*- alert:", RegexOptions.Multiline).Count;
        alerts.ShouldBeGreaterThan(5);
        AlertExpressions().Count().ShouldBe(alerts, "each rule's expr on its own line, so that this test reads every one");
        Regex.Matches(rules, @"^\s+severity: (page|ticket)\s*$", RegexOptions.Multiline).Count.ShouldBe(alerts);
        Regex.Matches(rules, @"^\s+summary: ", RegexOptions.Multiline).Count.ShouldBe(alerts);
    }

    /// <summary>Every exported name: counters and gauges by their family, histograms by their three series.</summary>
    private static async Task<HashSet<string>> ScrapeExercisedNodeAsync()
    {
        var store = await TestStores.CreateAsync("postgres");
        await using var app = await TelemetryTestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Stoa:Redis"] = await TestEngines.UrlAsync(TestEngines.Redis),
            ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Stoa:Previews:AllowedPorts:0"] = "1",
        }, store: store);
        await ExerciseAsync(app);

        var text = await app.CreateExternalClient().GetStringAsync("/metrics", Ct);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match type in TypeLine().Matches(text))
        {
            var family = type.Groups[1].Value;
            if (type.Groups[2].Value == "histogram")
            {
                names.UnionWith([family + "_bucket", family + "_sum", family + "_count"]);
            }
            else
            {
                names.Add(family);
            }
        }

        return names;
    }

    /// <summary>Each module once: comments, a doc op, a quote written and read, a follow, a preview that fails upstream.</summary>
    private static async Task ExerciseAsync(TelemetryTestApp app)
    {
        var tenant = await app.CreateTenantAsync();
        using var ann = tenant.User("ann");
        using var backend = tenant.Server();
        (await ann.PostAsJsonAsync("/v1/threads/dash/comments", new { body = "hello" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await ann.GetAsync("/v1/threads/dash/comments", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var doc = await (await ann.PostAsJsonAsync("/v1/docs", new { text = "abc" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var op = new StringContent($$"""{"baseVersion":{{doc.GetProperty("version").GetInt64()}},"op":[3,"d"],"clientId":"c1","seq":1}""",
            Encoding.UTF8, "application/json");
        (await ann.PostAsync($"/v1/docs/{doc.GetProperty("id").GetGuid()}/ops", op, Ct)).IsSuccessStatusCode.ShouldBeTrue();
        (await backend.PutAsJsonAsync("/v1/quotes/DASH", new { price = 1.5m }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ann.GetAsync("/v1/quotes/DASH", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ann.PutAsync("/v1/users/bob/followers/me", null, Ct)).IsSuccessStatusCode.ShouldBeTrue();
        (await ann.GetAsync("/v1/users/bob/followers", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ann.GetAsync("/v1/previews?url=" + Uri.EscapeDataString("http://127.0.0.1:1/"), Ct)).IsSuccessStatusCode.ShouldBeFalse();
    }

    private static IEnumerable<(string Where, string Expression)> DashboardExpressions()
    {
        var directory = RepoFiles.PathOf("deploy", "observability", "grafana", "dashboards");
        var files = Directory.GetFiles(directory, "*.json");
        files.ShouldNotBeEmpty();
        foreach (var file in files)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var panels = json.RootElement.GetProperty("panels").EnumerateArray().ToList();
            panels.Count.ShouldBeGreaterThan(10);
            foreach (var panel in panels.Where(p => p.TryGetProperty("targets", out _)))
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    yield return ($"{Path.GetFileName(file)} '{panel.GetProperty("title").GetString()}'", target.GetProperty("expr").GetString()!);
                }
            }
        }
    }

    private static IEnumerable<(string Where, string Expression)> AlertExpressions() =>
        ExprLine().Matches(RepoFiles.Read("deploy", "observability", "prometheus", "alerts.yml"))
            .Select(m => ("alerts.yml", m.Groups[1].Value));

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^\s+expr: (.+)$", RegexOptions.Multiline)]
    private static partial Regex ExprLine();
}
