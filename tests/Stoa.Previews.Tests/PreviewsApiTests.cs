using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stoa.Foundation.Errors;
using Stoa.Testing;

namespace Stoa.Previews.Tests;

/// <summary>The HTTP API over the real app: caching, single flight, errors, batches, refresh and breakers.</summary>
public sealed class PreviewsApiTests(FixtureServer fixtures) : IAsyncLifetime
{
    private StoaAppFactory<Program> _app = null!;
    private TestTenant _tenant = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = fixtures.CreateApp(new Dictionary<string, string?>
        {
            ["Stoa:Previews:BreakerMinimumThroughput"] = "3",
            ["Stoa:Previews:BreakerBreakDuration"] = "00:01:00",
        });
        _tenant = await _app.CreateTenantAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => $"{fixtures.BaseUrl}{path}";

    private static string Q(string url) => Uri.EscapeDataString(url);

    [Fact]
    public async Task A_card_is_fetched_once_and_then_served_from_the_cache()
    {
        using var client = _tenant.App();
        var path = $"/pages/og-only?cache={Guid.NewGuid():N}";
        var first = await client.GetFromJsonAsync<JsonElement>($"/v1/previews?url={Q(Url(path))}", Ct);
        first.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        var second = await client.GetFromJsonAsync<JsonElement>($"/v1/previews?url={Q(Url(path))}", Ct);
        second.GetProperty("title").GetString().ShouldBe(first.GetProperty("title").GetString());
        fixtures.Hits("/pages/og-only").ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Concurrent_requests_for_one_url_cause_one_upstream_fetch()
    {
        using var client = _tenant.App();
        var path = "/status/200?burst=" + Guid.NewGuid().ToString("N");
        var url = Url(path);
        var before = fixtures.Hits(path);
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync($"/v1/previews?url={Q(url)}", Ct)));
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        (fixtures.Hits(path) - before).ShouldBe(1);
    }

    [Theory]
    [InlineData("http://10.0.0.1/", "url_not_allowed", HttpStatusCode.UnprocessableEntity)]
    [InlineData("http://169.254.169.254/latest/meta-data/", "url_not_allowed", HttpStatusCode.UnprocessableEntity)]
    [InlineData("http://[::ffff:127.0.0.1]:6379/", "url_not_allowed", HttpStatusCode.UnprocessableEntity)]
    [InlineData("ftp://example.com/", "url_not_allowed", HttpStatusCode.UnprocessableEntity)]
    [InlineData("not a url", "invalid_url", HttpStatusCode.BadRequest)]
    public async Task Forbidden_and_invalid_urls_get_their_codes(string url, string code, HttpStatusCode status)
    {
        using var client = _tenant.App();
        await (await client.GetAsync($"/v1/previews?url={Q(url)}", Ct)).ShouldBeProblemAsync(status, code);
    }

    [Fact]
    public async Task A_missing_url_is_a_validation_failure_and_no_key_is_401()
    {
        using var client = _tenant.App();
        await (await client.GetAsync("/v1/previews", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        using var anonymous = _app.CreateClient();
        await (await anonymous.GetAsync($"/v1/previews?url={Q(Url("/pages/og-only"))}", Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Fact]
    public async Task Upstream_errors_are_502_with_the_status_and_are_cached_briefly()
    {
        using var client = _tenant.App();
        // Counted with its query: HostileUpstreamTests fetches /status/404 too, in parallel.
        var path = "/status/404?neg=" + Guid.NewGuid().ToString("N");
        var url = Url(path);
        var before = fixtures.Hits(path);
        var problem = await (await client.GetAsync($"/v1/previews?url={Q(url)}", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadGateway, "upstream_status");
        problem.GetProperty("detail").GetString()!.ShouldContain("404");
        await (await client.GetAsync($"/v1/previews?url={Q(url)}", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadGateway, "upstream_status");
        (fixtures.Hits(path) - before).ShouldBe(1, "the failure is cached");
    }

    [Fact]
    public async Task Only_server_tokens_may_refresh()
    {
        var path = "/status/200?refresh=" + Guid.NewGuid().ToString("N");
        var url = Url(path);
        using var user = _tenant.User("alice");
        (await user.GetAsync($"/v1/previews?url={Q(url)}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await user.GetAsync($"/v1/previews?url={Q(url)}&refresh=true", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "refresh_requires_server");

        var before = fixtures.Hits(path);
        using var server = _tenant.Server();
        (await server.GetAsync($"/v1/previews?url={Q(url)}&refresh=true", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (fixtures.Hits(path) - before).ShouldBe(1);
    }

    [Fact]
    public async Task A_batch_answers_each_url_on_its_own()
    {
        using var client = _tenant.App();
        var response = await client.PostAsJsonAsync("/v1/previews/batch", new { urls = new[] { Url("/pages/og-only"), "http://10.1.2.3/", Url("/status/500?b=" + Guid.NewGuid().ToString("N")) } }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBe(3);
        items[0].GetProperty("card").GetProperty("title").GetString().ShouldNotBeNullOrEmpty();
        items[1].GetProperty("error").GetProperty("code").GetString().ShouldBe("url_not_allowed");
        items[1].GetProperty("error").GetProperty("status").GetInt32().ShouldBe(422);
        items[2].GetProperty("error").GetProperty("code").GetString().ShouldBe("upstream_status");

        await (await client.PostAsJsonAsync("/v1/previews/batch", new { urls = Enumerable.Range(0, 21).Select(i => Url($"/pages/og-only?{i}")) }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        await (await client.PostAsJsonAsync("/v1/previews/batch", new { urls = Array.Empty<string>() }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
    }

    [Fact]
    public async Task A_failing_host_opens_its_breaker_and_answers_503_with_retry_after()
    {
        // A separate app so that this host's breaker state does not leak into the other tests' expectations.
        await using var app = new StoaAppFactory<Program>(TestStores.CreateSqlite(), new Dictionary<string, string?>
        {
            ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Stoa:Previews:AllowedPorts:0"] = fixtures.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stoa:Previews:BreakerMinimumThroughput"] = "3",
            ["Stoa:Previews:BreakerBreakDuration"] = "00:01:00",
            ["Stoa:RateLimits:Enabled"] = "false",
        });
        using var client = (await app.CreateTenantAsync()).App();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 10; i++)
        {
            last = await client.GetAsync($"/v1/previews?url={Q(Url($"/status/503?n={i}"))}", Ct);
            if (last.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                break;
            }
        }

        await last!.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "upstream_circuit_open");
        int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);

        // Counted with its query: other classes fetch /pages/og-only in parallel.
        var path = "/pages/og-only?open=" + Guid.NewGuid().ToString("N");
        await (await client.GetAsync($"/v1/previews?url={Q(Url(path))}", Ct)).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "upstream_circuit_open");
        fixtures.Hits(path).ShouldBe(0, "an open breaker contacts nobody");
    }
}
