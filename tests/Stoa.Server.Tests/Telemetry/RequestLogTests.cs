using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Stoa.Testing;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>One log line per request (method, path, status, ms, traceId), so that the traceId of a 4xx leads to it.</summary>
public sealed class RequestLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_request_is_one_information_line_whose_trace_id_is_in_the_answer()
    {
        await using var app = await TestApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var client = tenant.App();

        var refused = await client.PostAsync("/v1/threads/t1/comments", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var problemTraceId = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("traceId").GetString()!;
        refused.Headers.GetValues("X-Trace-Id").Single().ShouldBe(problemTraceId);

        var listed = await client.GetAsync("/v1/threads/t1/comments?sort=new", Ct);
        listed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var listedTraceId = listed.Headers.GetValues("X-Trace-Id").Single();
        listedTraceId.ShouldNotBe(problemTraceId);

        var lines = await RequestLinesAsync(app, 2);
        lines[0].Message.ShouldBe($"POST /v1/threads/t1/comments 401 in {lines[0].Elapsed} ms, traceId {problemTraceId}");
        lines[1].Message.ShouldBe($"GET /v1/threads/t1/comments 200 in {lines[1].Elapsed} ms, traceId {listedTraceId}");
        lines.ShouldAllBe(line => line.Level == LogLevel.Information);
        // The framework's own per-request lines stay off: one line per request, not three.
        app.Logs.Entries.ShouldNotContain(e => e.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Credentials_in_the_query_string_never_reach_the_log()
    {
        await using var app = await TestApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var client = app.CreateClient();
        var token = TestTokens.User(tenant.Secret, "alice");
        var response = await client.GetAsync($"/v1/threads/t1/events?api_key={tenant.ApiKey}&access_token={token}", HttpCompletionOption.ResponseHeadersRead, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Dispose();

        var line = (await RequestLinesAsync(app, 1))[0];
        line.Message.ShouldStartWith("GET /v1/threads/t1/events 200 in ");
        app.Logs.Entries.ShouldNotContain(e => e.Message.Contains(tenant.ApiKey, StringComparison.Ordinal) || e.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probes_are_not_logged_at_information()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();
        (await client.GetAsync("/healthz", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/nowhere", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var lines = await RequestLinesAsync(app, 1);
        lines.Single().Message.ShouldStartWith("GET /nowhere 404 in ");
    }

    /// <summary>The request lines, waiting for <paramref name="count"/> (a line is written once the response is finished).</summary>
    private static async Task<List<(string Message, LogLevel Level, string Elapsed)>> RequestLinesAsync(TestApp app, int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var lines = app.Logs.Entries.Where(e => e.Category == "Stoa.Requests")
                .Select(e => (e.Message, e.Level, Elapsed: e.Message.Split(" in ")[1].Split(" ms")[0]))
                .ToList();
            if (lines.Count >= count)
            {
                lines.Count.ShouldBe(count);
                return lines;
            }

            await Task.Delay(50, Ct);
        }

        throw new ShouldAssertException($"expected {count} request lines");
    }
}
