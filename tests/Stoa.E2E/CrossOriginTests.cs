using System.Net.Http.Json;
using System.Text.Json;
using Stoa.Testing;

namespace Stoa.E2E;

/// <summary>
/// A page of someone's own app, served from another origin than the node's, uses Stoa as a browser does: REST with a
/// preflighted JSON write, an EventSource, a WebSocket; for an app that lists its origin, and refused (readably, with
/// origin_not_allowed) for an app that does not.
/// </summary>
public sealed class CrossOriginTests(StoaSite site) : BrowserTest(site)
{
    // Runs in the page: every result is data the test checks, and every wait ends (a refused stream or socket too).
    private const string UseStoa = """
        async ({ api, key, token, docId }) => {
          const out = {};
          try {
            const post = await fetch(`${api}/v1/threads/cross-origin/comments`, {
              method: 'POST',
              headers: { 'X-Api-Key': key, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
              body: JSON.stringify({ body: 'Written from another origin' }),
            });
            out.status = post.status;
            out.body = await post.json();
            out.rateLimitRemaining = post.headers.get('X-RateLimit-Remaining');
            out.traceId = post.headers.get('X-Trace-Id');
          } catch (e) {
            out.fetchError = String(e);
          }
          out.stream = await new Promise((resolve) => {
            const source = new EventSource(`${api}/v1/quotes/stream?symbols=AAPL&api_key=${key}`);
            const done = (value) => { source.close(); resolve(value); };
            source.addEventListener('quote', (event) => done(JSON.parse(event.data).symbol));
            source.addEventListener('error', () => done(source.readyState === EventSource.CLOSED ? 'refused' : 'reconnecting'));
            setTimeout(() => done('timeout'), 15000);
          });
          out.socket = await new Promise((resolve) => {
            const socket = new WebSocket(`${api.replace('http', 'ws')}/v1/docs/${docId}/live?clientId=page-1&api_key=${key}&access_token=${token}`);
            let opened = false;
            socket.onopen = () => { opened = true; };
            socket.onmessage = (event) => {
              const message = JSON.parse(event.data);
              if (message.type === 'snapshot') { socket.close(); resolve(message.text); }
            };
            socket.onclose = () => resolve(opened ? 'closed' : 'refused');
            setTimeout(() => resolve('timeout'), 15000);
          });
          return JSON.stringify(out);
        }
        """;

    [Fact]
    public async Task A_page_on_an_allowed_origin_calls_rest_streams_and_sockets_and_another_apps_key_is_refused()
    {
        var allowed = await TenantAsync("their app", Site.Fixture.Origin);
        var strict = await TenantAsync("an app elsewhere", "https://elsewhere.example");
        var page = await NewPersonAsync();
        page.RecordProblems();
        await page.GotoAsync(Site.Fixture.AppPageUrl.ToString());
        new Uri(page.Url).Port.ShouldNotBe(Site.BaseAddress.Port, "the page runs on another origin than the node");

        var served = await UseStoaFromPageAsync(page, allowed);
        served.GetProperty("status").GetInt32().ShouldBe(201);
        served.GetProperty("body").GetProperty("threadId").GetString().ShouldBe("cross-origin");
        // Exposed headers: without Access-Control-Expose-Headers the page would read null.
        int.Parse(served.GetProperty("rateLimitRemaining").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        served.GetProperty("traceId").GetString()!.Length.ShouldBe(32);
        served.GetProperty("stream").GetString().ShouldBe("AAPL");
        served.GetProperty("socket").GetString().ShouldBe("shared from the test");
        page.Problems().ShouldBeEmpty();

        var refused = await UseStoaFromPageAsync(page, strict);
        // The refusal carries the CORS headers, so the page reads why instead of a bare network error.
        refused.GetProperty("status").GetInt32().ShouldBe(403);
        refused.GetProperty("body").GetProperty("code").GetString().ShouldBe("origin_not_allowed");
        refused.GetProperty("stream").GetString().ShouldBe("refused");
        refused.GetProperty("socket").GetString().ShouldBe("refused");
    }

    [Fact]
    public async Task The_development_app_serves_pages_on_any_loopback_port()
    {
        var page = await NewPersonAsync();
        await page.GotoAsync(Site.Fixture.AppPageUrl.ToString());
        var result = JsonDocument.Parse(await page.EvaluateAsync<string>("""
            async (api) => {
              const session = await (await fetch(`${api}/dev/session`)).json();
              const app = await fetch(`${api}/v1/app`, { headers: { 'X-Api-Key': session.apiKey } });
              return JSON.stringify({ status: app.status, body: await app.json() });
            }
            """, Api)).RootElement;
        result.GetProperty("status").GetInt32().ShouldBe(200);
        result.GetProperty("body").GetProperty("name").GetString().ShouldBe("development");
    }

    private string Api => Site.BaseAddress.GetLeftPart(UriPartial.Authority);

    private async Task<JsonElement> UseStoaFromPageAsync(Microsoft.Playwright.IPage page, (TestTenant Tenant, string DocId) app)
    {
        var json = await page.EvaluateAsync<string>(UseStoa, new
        {
            api = Api,
            key = app.Tenant.ApiKey,
            token = TestTokens.User(app.Tenant.Secret, "page-user"),
            docId = app.DocId,
        });
        TestContext.Current.TestOutputHelper?.WriteLine(json);
        return JsonDocument.Parse(json).RootElement;
    }

    /// <summary>An app that allows one origin (set by its backend through the API), with one document to open.</summary>
    private async Task<(TestTenant Tenant, string DocId)> TenantAsync(string name, string origin)
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await Site.CreateTenantAsync(name);
        using var backend = tenant.Server();
        (await backend.PutAsJsonAsync("/v1/app/origins", new { origins = new[] { origin } }, ct)).EnsureSuccessStatusCode();
        using var user = tenant.User("page-user");
        var created = await user.PostAsJsonAsync("/v1/docs", new { text = "shared from the test" }, ct);
        created.EnsureSuccessStatusCode();
        return (tenant, (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!);
    }
}
