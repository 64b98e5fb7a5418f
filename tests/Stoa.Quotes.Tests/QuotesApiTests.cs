using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stoa.Quotes.Core;
using Stoa.Testing;

namespace Stoa.Quotes.Tests;

/// <summary>The REST API on one node over the in-process engine.</summary>
public sealed class QuotesApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_symbol_is_404_quote_not_found()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        using var client = tenant.App();
        await (await client.GetAsync("/v1/quotes/ZZZZ", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, QuoteErrors.QuoteNotFound);
    }

    [Theory]
    [InlineData("TOOLONGSYMBOL")]
    [InlineData("AA$PL")]
    [InlineData("A%20PL")]
    [InlineData("%C3%84PL")]
    [InlineData("A_B")]
    public async Task A_malformed_symbol_is_400_invalid_symbol(string symbol)
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        using var client = tenant.App();
        await (await client.GetAsync($"/v1/quotes/{symbol}", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, QuoteErrors.InvalidSymbol);
        using var server = tenant.Server();
        await (await server.PutQuoteAsync(symbol, 1m, cancellationToken: Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, QuoteErrors.InvalidSymbol);
    }

    [Fact]
    public async Task Reads_need_an_api_key_and_writes_a_server_token()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        using var anonymous = node.CreateClient();
        (await anonymous.GetAsync("/v1/quotes/AAPL", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var user = tenant.User("alice");
        await (await user.PutQuoteAsync("AAPL", 1m, cancellationToken: Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "server_token_required");
        using var app = tenant.App();
        (await app.PutQuoteAsync("AAPL", 1m, cancellationToken: Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_pushed_quote_is_served_normalised_with_its_age()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        using var server = tenant.Server();
        var at = DateTimeOffset.UtcNow.AddSeconds(-2);
        var put = await server.PutAsJsonAsync("/v1/quotes/brk.b", new { price = 453.9m, currency = "USD", change = 1.5m, changePercent = 0.33m, at, seq = 7 }, Ct);
        var written = await put.ReadQuoteAsync(Ct);
        written.Symbol.ShouldBe("BRK.B");
        written.Seq.ShouldBe(7);

        using var client = tenant.App();
        var response = await client.GetAsync("/v1/quotes/BRK.B", Ct);
        var quote = await response.ReadQuoteAsync(Ct);
        quote.ShouldBe(quote with { Symbol = "BRK.B", Price = 453.9m, Currency = "USD", Change = 1.5m, ChangePercent = 0.33m, Seq = 7, Source = "app" });
        quote.At.ShouldBe(at, TimeSpan.FromMilliseconds(1));
        quote.AgeMs.ShouldBeGreaterThanOrEqualTo(2000);
        response.Headers.Age.ShouldNotBeNull().TotalSeconds.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_late_older_write_never_overwrites_a_newer_one()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        using var server = tenant.Server();
        (await server.PutQuoteAsync("AAPL", 230m, seq: 10, cancellationToken: Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await server.PutQuoteAsync("AAPL", 229m, seq: 9, cancellationToken: Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, QuoteErrors.QuoteSuperseded);
        await (await server.PutQuoteAsync("AAPL", 229m, seq: 10, cancellationToken: Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, QuoteErrors.QuoteSuperseded);
        var quote = await (await server.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct);
        (quote.Price, quote.Seq).ShouldBe((230m, 10L));

        // Without a seq the node's clock orders writes, far above small hand-made seqs.
        (await server.PutQuoteAsync("AAPL", 231m, cancellationToken: Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await server.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct)).Price.ShouldBe(231m);
    }

    [Fact]
    public async Task Concurrent_writes_in_any_order_leave_the_highest_seq()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var seqs = Enumerable.Range(1, 200).OrderBy(_ => random.Next()).ToArray();
        using var server = tenant.Server();
        await Parallel.ForEachAsync(seqs, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (seq, ct) =>
        {
            var response = await server.PutQuoteAsync("MSFT", 400m + seq, seq, ct);
            response.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.Conflict], $"seed {seed}");
        });
        var quote = await (await server.GetAsync("/v1/quotes/MSFT", Ct)).ReadQuoteAsync(Ct);
        (quote.Seq, quote.Price).ShouldBe((200L, 600m), $"seed {seed}");
    }

    [Fact]
    public async Task Writes_are_validated()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        using var server = tenant.Server();
        var response = await server.PutAsJsonAsync("/v1/quotes/AAPL", new { price = -1, currency = "usd", seq = 0 }, Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("price", out _).ShouldBeTrue();
        errors.TryGetProperty("currency", out _).ShouldBeTrue();
        errors.TryGetProperty("seq", out _).ShouldBeTrue();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/quotes/AAPL") { Content = new StringContent("{\"price\":", System.Text.Encoding.UTF8, "application/json") };
        await (await server.SendAsync(request, Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task A_list_returns_the_quotes_found_in_order_and_names_the_rest()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        using var server = tenant.Server();
        await server.PutQuoteAsync("AAPL", 230m, cancellationToken: Ct);
        await server.PutQuoteAsync("MSFT", 410m, cancellationToken: Ct);

        var list = JsonSerializer.Deserialize<QuoteListDto>(await server.GetStringAsync("/v1/quotes?symbols=msft,NOPE,AAPL,msft", Ct), QuoteJson.Options)!;
        list.Quotes.Select(q => q.Symbol).ShouldBe(["MSFT", "AAPL"]);
        list.NotFound.ShouldBe(["NOPE"]);

        await (await server.GetAsync("/v1/quotes?symbols=", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, QuoteErrors.InvalidSymbol);
        await (await server.GetAsync("/v1/quotes", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, QuoteErrors.InvalidSymbol);
        await (await server.GetAsync("/v1/quotes?symbols=AAPL,B$D", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, QuoteErrors.InvalidSymbol);
        var many = string.Join(',', Enumerable.Range(0, 101).Select(i => $"S{i}"));
        await (await server.GetAsync($"/v1/quotes?symbols={many}", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, QuoteErrors.TooManySymbols);
        var hundred = string.Join(',', Enumerable.Range(0, 100).Select(i => $"S{i}"));
        (await server.GetAsync($"/v1/quotes?symbols={hundred}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_app_sees_the_market_and_its_own_quotes_but_never_another_apps()
    {
        await using var node = await QuotesNode.StartAsync();
        var first = await node.CreateTenantAsync("first");
        var second = await node.CreateTenantAsync("second");
        var market = new Quote("AAPL", 228m, "USD", 0m, 0m, DateTimeOffset.UtcNow, 5, "simulated");
        (await node.Store.TryWriteAsync(QuoteScope.Market, market, Ct)).ShouldBeTrue();

        using var firstServer = first.Server();
        (await firstServer.PutQuoteAsync("AAPL", 999m, seq: 1, cancellationToken: Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await firstServer.PutQuoteAsync("OWN", 1m, seq: 1, cancellationToken: Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var firstApp = first.App();
        using var secondApp = second.App();
        (await (await firstApp.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct)).Price.ShouldBe(999m, "the app's own quote overrides the market's");
        (await (await secondApp.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct)).Price.ShouldBe(228m);
        await (await secondApp.GetAsync("/v1/quotes/OWN", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, QuoteErrors.QuoteNotFound);

        using var secondServer = second.Server();
        (await secondServer.DeleteAsync("/v1/quotes/OWN", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "an app cannot delete another's quote");
        (await firstServer.DeleteAsync("/v1/quotes/AAPL", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await firstApp.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct)).Price.ShouldBe(228m, "back to the market once the override is gone");
    }

    [Fact]
    public async Task The_simulated_exchange_ticks_realistic_prices_with_growing_seqs()
    {
        await using var node = await QuotesNode.StartAsync(new Dictionary<string, string?>
        {
            ["Stoa:Quotes:Feed"] = "simulated",
            ["Stoa:Quotes:Symbols"] = "AAPL,XYZ",
            ["Stoa:Quotes:Simulated:TicksPerSecond"] = "50",
            ["Stoa:Quotes:Simulated:Volatility"] = "5",
            ["Stoa:Quotes:Simulated:Seed"] = "42",
        });
        var tenant = await node.CreateTenantAsync();
        using var client = tenant.App();
        var first = await WaitForQuoteAsync(client, "AAPL");
        first.Source.ShouldBe("simulated");
        first.Currency.ShouldBe("USD");
        first.Price.ShouldBeInRange(150m, 300m);
        (first.Price - first.Change).ShouldBe(228.52m, "change is against the opening price");

        QuoteDto later;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(50, Ct);
            later = await (await client.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct);
        }
        while (later.Seq == first.Seq && DateTime.UtcNow < deadline);
        later.Seq.ShouldBeGreaterThan(first.Seq);
        (await WaitForQuoteAsync(client, "XYZ")).Price.ShouldBeInRange(1m, 10_000m);
        node.Feed.ShouldNotBeNull().IsLeader.ShouldBeTrue();
    }

    [Fact]
    public async Task Writes_and_the_feed_leadership_show_in_the_metrics()
    {
        await using var node = await QuotesNode.StartAsync();
        var tenant = await node.CreateTenantAsync();
        using var server = tenant.Server();
        await server.PutQuoteAsync("AAPL", 1m, seq: 2, cancellationToken: Ct);
        await server.PutQuoteAsync("AAPL", 1m, seq: 1, cancellationToken: Ct);
        var metrics = await server.GetStringAsync("/metrics", Ct);
        metrics.ShouldContain("stoa_quotes_writes_total{");
        metrics.ShouldContain("outcome=\"superseded\"");
        metrics.ShouldContain("stoa_quotes_stream_clients");
        metrics.ShouldContain("stoa_quotes_feed_leader");
    }

    [Fact]
    public async Task The_endpoints_are_in_the_openapi_document()
    {
        await using var node = await QuotesNode.StartAsync();
        using var client = node.CreateClient();
        var paths = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct)).RootElement.GetProperty("paths");
        paths.TryGetProperty("/v1/quotes/{symbol}", out _).ShouldBeTrue();
        paths.TryGetProperty("/v1/quotes/stream", out _).ShouldBeTrue();
        paths.TryGetProperty("/v1/quotes/_bench/static", out _).ShouldBeFalse("bench endpoints are off by default");
    }

    internal static async Task<QuoteDto> WaitForQuoteAsync(HttpClient client, string symbol)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await client.GetAsync($"/v1/quotes/{symbol}", Ct);
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return await response.ReadQuoteAsync(Ct);
            }

            await Task.Delay(20, Ct);
        }
    }
}
