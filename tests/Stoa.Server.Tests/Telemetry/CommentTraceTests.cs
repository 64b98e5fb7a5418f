using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>A comment create is one trace: the request's span, the module's under it, a span per transaction attempt and per statement.</summary>
public sealed class CommentTraceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_comment_create_is_request_then_module_then_sql_in_one_trace(string store)
    {
        await using var app = await TelemetryTestApp.StartAsync(store: store);
        var tenant = await app.CreateTracedTenantAsync();
        using var client = tenant.User("ann");
        using var request = TelemetryTestApp.TracedRequest(HttpMethod.Post, "/v1/threads/traced/comments", out var traceId, out _);
        request.Content = JsonContent.Create(new { body = "hello" });
        (await client.SendAsync(request, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var server = await app.Spans.WaitForAsync(traceId, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server, "request");
        server.DisplayName.ShouldBe("POST /v1/threads/{threadId}/comments");
        var spans = app.Spans.ForTrace(traceId);
        var create = spans.Single(s => s.DisplayName == "comments.create");
        create.Source.Name.ShouldBe("Stoa.Comments");
        create.ParentSpanId.ShouldBe(server.SpanId);
        var transaction = spans.Single(s => s.DisplayName == "comments.transaction");
        transaction.ParentSpanId.ShouldBe(create.SpanId);
        transaction.GetTagItem("stoa.store.attempt").ShouldBe(1);

        var statements = spans.Where(s => s.Kind == ActivityKind.Client && s.GetTagItem("db.system.name") is "sqlite" or "postgresql").ToList();
        var inserts = statements.Where(s => Query(s).TrimStart().StartsWith("INSERT INTO comments ", StringComparison.Ordinal)).ToList();
        var insert = inserts.ShouldHaveSingleItem(app.Spans.Describe(traceId));
        insert.ParentSpanId.ShouldBe(transaction.SpanId);
        insert.DisplayName.ShouldBe("INSERT comments");
        insert.GetTagItem("db.system.name").ShouldBe(store == "sqlite" ? "sqlite" : "postgresql");
        // The checks made before the transaction (is the thread locked?) are the module's own statements.
        statements.ShouldContain(s => s.ParentSpanId == create.SpanId && Query(s).Contains("comment_threads", StringComparison.Ordinal));
        statements.ShouldAllBe(s => Query(s).Length > 0 && !Query(s).Contains("hello", StringComparison.Ordinal), "statements carry parameters, never values");
    }

    private static string Query(Activity span) => span.GetTagItem("db.query.text") as string ?? "";
}
