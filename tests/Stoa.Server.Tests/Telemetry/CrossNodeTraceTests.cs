using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Realtime;
using Stoa.Testing;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>
/// Trace context travels in what nodes publish to each other: a comment event and a doc op written on node A are
/// received on node B in A's trace (the receive span a child of A's), delivered to B's stream or socket in that trace
/// and linked to the stream's own span; a quote written on A and reloaded by B after the invalidation links to the write.
/// Both nodes run in this process, so each span says on which node it was made (<c>stoa.node</c>, the hub's id).
/// </summary>
public sealed class CrossNodeTraceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_comment_event_from_another_node_is_received_and_delivered_in_the_writers_trace()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var tenant = await nodes.A.CreateTracedTenantAsync();

        // Node B's stream, opened in a trace of its own (the deliveries link to it).
        using var streamClient = nodes.B.CreateExternalClient();
        using var streamRequest = TelemetryTestApp.TracedRequest(
            $"/v1/threads/traced/events?api_key={Uri.EscapeDataString(tenant.ApiKey)}", out var streamTrace, out _);
        using var stream = await streamClient.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead, Ct);
        stream.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var events = new StreamReader(await stream.Content.ReadAsStreamAsync(Ct));
        (await events.ReadLineAsync(Ct)).ShouldBe(": connected");

        using var writer = tenant.User("ann");
        using var create = TelemetryTestApp.TracedRequest(HttpMethod.Post, "/v1/threads/traced/comments", out var traceId, out _);
        create.Content = JsonContent.Create(new { body = "across nodes" });
        (await writer.SendAsync(create, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await ReadUntilAsync(events, "event: comment.created");

        var spans = nodes.A.Spans;
        var publish = await spans.WaitForAsync(traceId, s => s.DisplayName == "publish comments", "publish");
        publish.Kind.ShouldBe(ActivityKind.Producer);
        publish.GetTagItem("stoa.node").ShouldBe(nodes.A.NodeId);
        var receive = await spans.WaitForAsync(traceId, s => s.DisplayName == "receive comments", "receive on node B");
        receive.Kind.ShouldBe(ActivityKind.Consumer);
        receive.ParentSpanId.ShouldBe(publish.SpanId, "node B's receive is the child of node A's publish");
        receive.GetTagItem("stoa.node").ShouldBe(nodes.B.NodeId);
        receive.GetTagItem("stoa.origin_node").ShouldBe(nodes.A.NodeId);
        var deliver = await spans.WaitForAsync(traceId, s => s.DisplayName == "deliver comments", "delivery to node B's stream");
        deliver.ParentSpanId.ShouldBe(receive.SpanId);
        deliver.Links.ShouldContain(l => l.Context.TraceId == streamTrace, "the delivery links to the stream it went to");
    }

    [Fact]
    public async Task A_doc_op_submitted_on_one_node_reaches_a_socket_on_the_other_in_its_trace()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var tenant = await nodes.A.CreateTracedTenantAsync();
        using var alice = tenant.User("alice");
        var created = await alice.PostAsJsonAsync("/v1/docs", new { text = "abc" }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var doc = await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var docId = doc.GetProperty("id").GetGuid();
        var version = doc.GetProperty("version").GetInt64();

        // Bob's socket on node B, opened in a trace of its own.
        using var socket = new ClientWebSocket();
        var socketTrace = ActivityTraceId.CreateRandom();
        socket.Options.SetRequestHeader("traceparent", $"00-{socketTrace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var query = $"clientId=bob-1&api_key={Uri.EscapeDataString(tenant.ApiKey)}&access_token={TestTokens.User(tenant.Secret, "bob")}";
        await socket.ConnectAsync(new Uri($"ws://{nodes.B.BaseAddress.Authority}/v1/docs/{docId}/live?{query}"), Ct);
        await ReceiveUntilAsync(socket, "\"type\":\"snapshot\"");

        using var submit = TelemetryTestApp.TracedRequest(HttpMethod.Post, $"/v1/docs/{docId}/ops", out var traceId, out _);
        submit.Content = new StringContent($$"""{"baseVersion":{{version}},"op":[3,"d"],"clientId":"alice-1","seq":1}""", Encoding.UTF8, "application/json");
        var submitted = await alice.SendAsync(submit, Ct);
        submitted.IsSuccessStatusCode.ShouldBeTrue(await submitted.Content.ReadAsStringAsync(Ct));
        await ReceiveUntilAsync(socket, "\"type\":\"op\"");

        var spans = nodes.A.Spans;
        var batch = await spans.WaitForAsync(traceId, s => s.DisplayName == "docs.submit_batch", "batch");
        var submitSpan = spans.ForTrace(traceId).Single(s => s.DisplayName == "docs.submit");
        batch.ParentSpanId.ShouldBe(submitSpan.SpanId);
        batch.GetTagItem("stoa.docs.committed").ShouldBe(1);
        var receive = await spans.WaitForAsync(traceId, s => s.DisplayName == "receive docs" && (string?)s.GetTagItem("stoa.node") == nodes.B.NodeId,
            "receive on node B");
        receive.ParentSpanId.ShouldBe(batch.SpanId, "the op was announced by the batch that committed it, on node A");
        var deliver = await spans.WaitForAsync(traceId, s => s.DisplayName == "deliver docs" && s.ParentSpanId == receive.SpanId, "send to B's socket");
        deliver.Links.ShouldContain(l => l.Context.TraceId == socketTrace, "the send links to the socket it went to");
    }

    [Fact]
    public async Task A_quote_reloaded_after_another_nodes_write_links_to_the_write()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var tenant = await nodes.A.CreateTracedTenantAsync();
        using var backend = tenant.Server();
        using var reader = tenant.App();
        (await backend.PutAsJsonAsync("/v1/quotes/TRCE", new { price = 10.5m }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var readerB = new HttpClient { BaseAddress = nodes.B.BaseAddress };
        readerB.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
        (await readerB.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/quotes/TRCE", Ct)).GetProperty("price").GetDecimal().ShouldBe(10.5m);

        using var write = TelemetryTestApp.TracedRequest(HttpMethod.Put, "/v1/quotes/TRCE", out var writeTrace, out _);
        write.Content = JsonContent.Create(new { price = 11.25m });
        (await backend.SendAsync(write, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Node B drops its copy when Redis tells it the key changed; the read after that reloads it.
        Activity? reload = null;
        for (var attempt = 0; attempt < 200 && reload is null; attempt++)
        {
            using var read = TelemetryTestApp.TracedRequest($"/v1/quotes/TRCE", out var readTrace, out _);
            using var response = await nodes.B.CreateExternalClient().SendAsync(WithKey(read, tenant.ApiKey), Ct);
            var price = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("price").GetDecimal();
            if (price == 11.25m)
            {
                await nodes.A.Spans.WaitForAsync(readTrace, s => s.Kind == ActivityKind.Server, "read");
                reload = nodes.A.Spans.ForTrace(readTrace).SingleOrDefault(s => s.DisplayName == "quotes.reload");
                reload.ShouldNotBeNull("the first read that sees the new price is the one that reloaded it: " + nodes.A.Spans.Describe(readTrace));
            }
            else
            {
                await Task.Delay(20, Ct);
            }
        }

        reload.ShouldNotBeNull();
        reload.Links.ShouldContain(l => l.Context.TraceId == writeTrace, "the reload links to the write on node A");
        var scrape = await nodes.B.CreateExternalClient().GetStringAsync("/metrics", Ct);
        PrometheusSample.ParseAll(scrape).ShouldContain(s => s.Name == "stoa_quotes_reload_lag_seconds_count" && s.Value >= 1);
    }

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string apiKey)
    {
        request.Headers.Add("X-Api-Key", apiKey);
        return request;
    }

    private static async Task ReadUntilAsync(StreamReader reader, string line)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(timeout.Token) is { } next)
        {
            if (next == line)
            {
                return;
            }
        }

        throw new ShouldAssertException($"The stream ended before '{line}'.");
    }

    private static async Task ReceiveUntilAsync(ClientWebSocket socket, string fragment)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            result.MessageType.ShouldNotBe(WebSocketMessageType.Close);
            if (Encoding.UTF8.GetString(buffer, 0, result.Count).Contains(fragment, StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    /// <summary>Two nodes on one PostgreSQL database and one Redis, both recording spans.</summary>
    private sealed class TwoNodes(TelemetryTestApp a, TelemetryTestApp b) : IAsyncDisposable
    {
        public TelemetryTestApp A { get; } = a;

        public TelemetryTestApp B { get; } = b;

        public static async Task<TwoNodes> StartAsync()
        {
            var store = await TestStores.CreateAsync("postgres");
            var settings = new Dictionary<string, string?>
            {
                ["Stoa:Redis"] = await TestEngines.UrlAsync(TestEngines.Redis),
                ["Stoa:RateLimits:Enabled"] = "false",
                ["Stoa:Quotes:Feed"] = "none",
            };
            var a = await TelemetryTestApp.StartAsync(settings, store: store);
            var b = await TelemetryTestApp.StartAsync(settings, store: store);
            return new TwoNodes(a, b);
        }

        public async ValueTask DisposeAsync()
        {
            await B.DisposeAsync();
            await A.DisposeAsync();
        }
    }
}
