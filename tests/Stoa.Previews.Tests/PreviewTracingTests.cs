using System.Diagnostics;
using System.Net;
using Stoa.Foundation.Telemetry;
using Stoa.Testing;

namespace Stoa.Previews.Tests;

/// <summary>
/// A preview in a trace: the lookup says whether the cache answered, the fill what it decided (fetch, or wait for
/// another node's), each upstream request is a span with HttpClient's under it, and the upstream never gets the trace.
/// </summary>
public sealed class PreviewTracingTests(FixtureServer fixtures) : IAsyncLifetime
{
    private readonly RecordedSpans _spans = new();
    private StoaAppFactory<Program> _app = null!;
    private TestTenant _tenant = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = fixtures.CreateApp(services: s => s.ConfigureStoaTracing(t => _spans.AddTo(t)));
        var tenant = await _app.CreateTenantAsync();
        _tenant = new TestTenant(tenant.ApiKey, tenant.Secret, _app.CreateExternalClient);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_miss_is_lookup_fill_and_fetch_and_a_hit_is_the_lookup_alone()
    {
        using var client = _tenant.App();
        var path = $"/pages/og-only?traced={Guid.NewGuid():N}";
        var url = $"/v1/previews?url={Uri.EscapeDataString(fixtures.BaseUrl + path)}";

        var miss = await SendTracedAsync(client, url);
        var spans = _spans.ForTrace(miss);
        var lookup = spans.Single(s => s.DisplayName == "previews.lookup");
        lookup.GetTagItem("stoa.previews.cache").ShouldBe("miss");
        var fill = spans.Single(s => s.DisplayName == "previews.fill");
        fill.ParentSpanId.ShouldBe(lookup.SpanId);
        fill.GetTagItem("stoa.previews.decision").ShouldBe("fetched");
        fill.GetTagItem("stoa.previews.lease").ShouldBe(true);
        var fetch = spans.Single(s => s.DisplayName == "previews.fetch");
        fetch.Kind.ShouldBe(ActivityKind.Client);
        fetch.GetTagItem("stoa.previews.purpose").ShouldBe("page");
        fetch.GetTagItem("stoa.previews.outcome").ShouldBe("ok");
        fetch.GetTagItem("server.address").ShouldBe("127.0.0.1");
        spans.ShouldContain(s => s.Source.Name == "System.Net.Http" && s.ParentSpanId == fetch.SpanId, _spans.Describe(miss));
        fixtures.SawTraceContext(path).ShouldBe(false, "a page previewed is anyone's: it must not learn the trace");

        var hit = await SendTracedAsync(client, url);
        var hitSpans = _spans.ForTrace(hit);
        hitSpans.Single(s => s.DisplayName == "previews.lookup").GetTagItem("stoa.previews.cache").ShouldBe("hit");
        hitSpans.ShouldNotContain(s => s.DisplayName == "previews.fill" || s.DisplayName == "previews.fetch");
    }

    private async Task<ActivityTraceId> SendTracedAsync(HttpClient client, string url)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        (await client.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _spans.WaitForAsync(traceId, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server, "request");
        return traceId;
    }
}
