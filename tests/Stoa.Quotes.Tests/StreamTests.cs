using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Stoa.Foundation.Engine.Memory;
using Stoa.Foundation.Realtime;
using Stoa.Quotes.Core;
using Stoa.Quotes.Realtime;
using Stoa.Quotes.Storage;
using Stoa.Testing;

namespace Stoa.Quotes.Tests;

/// <summary>SSE and WebSocket streams on one node over the in-process engine.</summary>
public sealed class StreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Quote Market(string symbol, decimal price, long seq) => new(symbol, price, "USD", 0m, 0m, DateTimeOffset.UtcNow, seq, "simulated");

    [Fact]
    public async Task Sse_sends_the_current_price_first_then_every_newer_one()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        await node.Store.TryWriteAsync(QuoteScope.Market, Market("AAPL", 228m, 1), Ct);
        await node.Store.TryWriteAsync(QuoteScope.Market, Market("MSFT", 410m, 1), Ct);

        // Browsers' EventSource cannot send headers: the key comes in the query.
        using var client = node.CreateClient();
        using var response = await client.GetAsync($"/v1/quotes/stream?symbols=aapl,MSFT&api_key={tenant.ApiKey}", HttpCompletionOption.ResponseHeadersRead, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));
        var current = new[] { await events.NextAsync(Ct), await events.NextAsync(Ct) };
        current.Select(q => (q!.Symbol, q.Price)).OrderBy(p => p.Symbol).ShouldBe([("AAPL", 228m), ("MSFT", 410m)]);

        await node.Store.TryWriteAsync(QuoteScope.Market, Market("AAPL", 229m, 2), Ct);
        (await events.NextAsync(Ct))!.Price.ShouldBe(229m);

        // The app's own quote takes over the symbol; market ticks for it are no longer sent.
        using var server = tenant.Server();
        (await server.PutQuoteAsync("AAPL", 500m, seq: 1, cancellationToken: Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await events.NextAsync(Ct))!.ShouldSatisfyAllConditions(q => q.Price.ShouldBe(500m), q => q.Source.ShouldBe("app"));
        await node.Store.TryWriteAsync(QuoteScope.Market, Market("AAPL", 230m, 3), Ct);
        await node.Store.TryWriteAsync(QuoteScope.Market, Market("MSFT", 411m, 2), Ct);
        (await events.NextAsync(Ct))!.ShouldSatisfyAllConditions(q => q.Symbol.ShouldBe("MSFT"), q => q.Price.ShouldBe(411m));
    }

    [Fact]
    public async Task Streams_need_credentials_and_valid_symbols()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        using var client = node.CreateClient();
        (await client.GetAsync("/v1/quotes/stream?symbols=AAPL", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await (await client.GetAsync($"/v1/quotes/stream?symbols=A$&api_key={tenant.ApiKey}", Ct))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, QuoteErrors.InvalidSymbol);
    }

    [Fact]
    public async Task Sse_streams_end_when_the_node_starts_draining()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        await node.Store.TryWriteAsync(QuoteScope.Market, Market("AAPL", 228m, 1), Ct);
        using var client = node.CreateClient();
        using var response = await client.GetAsync($"/v1/quotes/stream?symbols=AAPL&api_key={tenant.ApiKey}", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));
        (await events.NextAsync(Ct)).ShouldNotBeNull();
        node.Drain.BeginDraining();
        (await events.NextAsync(Ct)).ShouldBeNull("the server ended the stream");
    }

    [Fact]
    public async Task WebSockets_get_the_same_quotes_and_a_going_away_close_on_drain()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        await node.Store.TryWriteAsync(QuoteScope.Market, Market("AAPL", 228m, 1), Ct);
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(node.BaseAddress) { Scheme = "ws", Path = "/v1/quotes/stream", Query = $"symbols=AAPL&api_key={tenant.ApiKey}" }.Uri;
        await socket.ConnectAsync(uri, Ct);
        (await socket.NextQuoteAsync(Ct))!.Price.ShouldBe(228m);

        using var server = tenant.Server();
        await server.PutQuoteAsync("AAPL", 231m, seq: 1, cancellationToken: Ct);
        (await socket.NextQuoteAsync(Ct))!.ShouldSatisfyAllConditions(q => q.Price.ShouldBe(231m), q => q.Source.ShouldBe("app"));

        node.Drain.BeginDraining();
        (await socket.NextQuoteAsync(Ct)).ShouldBeNull();
        socket.CloseStatus.ShouldBe(WebSocketCloseStatus.EndpointUnavailable);
    }

    [Fact]
    public async Task A_client_closing_its_websocket_leaves_the_hub()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        await node.Store.TryWriteAsync(QuoteScope.Market, Market("AAPL", 228m, 1), Ct);
        var hub = node.Services.GetRequiredService<RealtimeHub>();
        int Listeners() => hub.ListenerCount(QuoteKeys.Ticks(QuoteScope.Market));
        using (var socket = new ClientWebSocket())
        {
            var uri = new UriBuilder(node.BaseAddress) { Scheme = "ws", Path = "/v1/quotes/stream", Query = $"symbols=AAPL&api_key={tenant.ApiKey}" }.Uri;
            await socket.ConnectAsync(uri, Ct);
            (await socket.NextQuoteAsync(Ct)).ShouldNotBeNull();
            Listeners().ShouldBe(1);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Listeners() != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        Listeners().ShouldBe(0);
    }

    [Fact]
    public async Task A_client_that_never_reads_holds_one_tick_per_symbol_and_slows_no_one()
    {
        await using var engine = new MemoryEngine();
        await using var hub = new RealtimeHub(engine, NullLogger<RealtimeHub>.Instance);
        var store = new EngineQuoteStore(engine, hub);
        var appId = Guid.NewGuid();
        var stalled = new StreamListener(appId, ["AAPL", "MSFT"]);
        var live = new StreamListener(appId, ["AAPL"]);
        await using var a = await stalled.JoinAsync(hub, Ct);
        await using var b = await live.JoinAsync(hub, Ct);
        var received = 0L;
        var reader = Task.Run(async () =>
        {
            while (Volatile.Read(ref received) < 10_000)
            {
                foreach (var (quote, _) in await live.Buffer.TakeAsync(TimeSpan.FromSeconds(20), Ct))
                {
                    Volatile.Write(ref received, quote.Seq);
                }
            }
        }, Ct);

        for (var seq = 1; seq <= 10_000; seq++)
        {
            await store.TryWriteAsync(QuoteScope.Market, Market("AAPL", 200m + (seq % 100), seq), Ct);
            await store.TryWriteAsync(QuoteScope.Market, Market("MSFT", 400m, seq), Ct);
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Volatile.Read(ref received).ShouldBe(10_000, "the live client got the last tick");
        var held = await stalled.Buffer.TakeAsync(TimeSpan.FromSeconds(1), Ct);
        held.Count.ShouldBe(2, "one pending tick per symbol, however many were published");
        held.ShouldAllBe(h => h.Quote.Seq == 10_000);
    }
}
