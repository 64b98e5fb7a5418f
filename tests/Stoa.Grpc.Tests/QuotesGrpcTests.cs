using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Hosting;
using Stoa.Grpc.V1;
using Stoa.Testing;

namespace Stoa.Grpc.Tests;

/// <summary><c>stoa.v1.Quotes</c> on a real node: the REST API's reads, writes and stream, its rules and its errors.</summary>
public sealed class QuotesGrpcTests
{
    [Fact]
    public async Task A_put_by_the_backend_is_read_back_over_grpc_and_rest()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite());
        var tenant = await node.CreateTenantAsync();
        var quotes = new V1.Quotes.QuotesClient(node.Channel());
        var ct = TestContext.Current.CancellationToken;

        var put = await quotes.PutQuoteAsync(new PutQuoteRequest { Symbol = "brk.b", Price = "412.35", Currency = "USD", Change = "-1.5", Seq = 7 },
            GrpcNode.ServerToken(tenant), cancellationToken: ct);
        put.Symbol.ShouldBe("BRK.B");
        put.Seq.ShouldBe(7);
        put.Source.ShouldBe("app");

        var read = await quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = "BRK.B" }, GrpcNode.Key(tenant), cancellationToken: ct);
        read.Price.ShouldBe("412.35");
        read.Change.ShouldBe("-1.5");
        read.HasChangePercent.ShouldBeFalse();

        using var rest = tenant.App();
        var json = await rest.GetFromJsonAsync<JsonElement>("/v1/quotes/BRK.B", ct);
        json.GetProperty("price").GetDecimal().ShouldBe(412.35m);
        json.GetProperty("seq").GetInt64().ShouldBe(7);
    }

    [Fact]
    public async Task Another_apps_quote_is_not_found_and_an_older_seq_is_superseded()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite());
        var alice = await node.CreateTenantAsync("alice");
        var bob = await node.CreateTenantAsync("bob");
        var quotes = new V1.Quotes.QuotesClient(node.Channel());
        var ct = TestContext.Current.CancellationToken;
        await quotes.PutQuoteAsync(new PutQuoteRequest { Symbol = "ZZZ", Price = "1", Seq = 10 }, GrpcNode.ServerToken(alice), cancellationToken: ct);

        (await Refusals.OfAsync(() => quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = "ZZZ" }, GrpcNode.Key(bob), cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.NotFound, "quote_not_found"));
        (await Refusals.OfAsync(() => quotes.PutQuoteAsync(new PutQuoteRequest { Symbol = "ZZZ", Price = "2", Seq = 9 }, GrpcNode.ServerToken(alice),
                cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.FailedPrecondition, "quote_superseded"));
    }

    [Fact]
    public async Task Writes_need_the_server_token_and_every_call_a_known_key()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite());
        var tenant = await node.CreateTenantAsync();
        var quotes = new V1.Quotes.QuotesClient(node.Channel());
        var ct = TestContext.Current.CancellationToken;
        var put = new PutQuoteRequest { Symbol = "AAPL", Price = "1" };

        (await Refusals.OfAsync(() => quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = "AAPL" }, cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.Unauthenticated, "missing_api_key"));
        (await Refusals.OfAsync(() => quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = "AAPL" }, new Metadata { { "x-api-key", "pk_nope" } },
                cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.Unauthenticated, "invalid_api_key"));
        (await Refusals.OfAsync(() => quotes.PutQuoteAsync(put, GrpcNode.Key(tenant), cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.Unauthenticated, "missing_token"));
        (await Refusals.OfAsync(() => quotes.PutQuoteAsync(put, GrpcNode.UserToken(tenant, "alice"), cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.PermissionDenied, "server_token_required"));
        var forged = new Metadata { { "x-api-key", tenant.ApiKey }, { "authorization", "Bearer " + TestTokens.Server("not the secret") } };
        (await Refusals.OfAsync(() => quotes.PutQuoteAsync(put, forged, cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.Unauthenticated, "token_signature_invalid"));

        // The stream is refused before its first message, with the same code.
        using var watch = quotes.WatchQuotes(new WatchQuotesRequest { Symbols = { "AAPL" } }, cancellationToken: ct);
        (await Refusals.OfAsync(() => watch.ResponseStream.MoveNext(ct))).ShouldBe((StatusCode.Unauthenticated, "missing_api_key"));
    }

    [Fact]
    public async Task A_watch_gets_the_current_quote_then_a_put_made_on_another_node()
    {
        var store = await TestStores.CreateAsync("postgres");
        var redis = await TestEngines.UrlAsync(TestEngines.Redis);
        var settings = new Dictionary<string, string?> { ["Stoa:Redis"] = redis };
        await using var watcherNode = new GrpcNode(store, settings);
        watcherNode.StartServer();
        await using var writerNode = new GrpcNode(store, settings);
        var tenant = await watcherNode.CreateTenantAsync();
        var ct = TestContext.Current.CancellationToken;
        var writer = new V1.Quotes.QuotesClient(writerNode.Channel());
        await writer.PutQuoteAsync(new PutQuoteRequest { Symbol = "WTCH", Price = "10.00", Seq = 1 }, GrpcNode.ServerToken(tenant), cancellationToken: ct);

        using var watch = new V1.Quotes.QuotesClient(watcherNode.Channel())
            .WatchQuotes(new WatchQuotesRequest { Symbols = { "wtch" } }, GrpcNode.Key(tenant), cancellationToken: ct);
        (await watch.ResponseStream.MoveNext(ct)).ShouldBeTrue();
        watch.ResponseStream.Current.Seq.ShouldBe(1);

        await writer.PutQuoteAsync(new PutQuoteRequest { Symbol = "WTCH", Price = "10.50", Seq = 2 }, GrpcNode.ServerToken(tenant), cancellationToken: ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        (await watch.ResponseStream.MoveNext(timeout.Token)).ShouldBeTrue();
        watch.ResponseStream.Current.Price.ShouldBe("10.50");
        watch.ResponseStream.Current.Seq.ShouldBe(2);
        watch.ResponseStream.Current.Source.ShouldBe("app");
    }

    [Fact]
    public async Task A_draining_node_ends_a_watch_with_unavailable_so_the_client_watches_elsewhere()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite());
        var tenant = await node.CreateTenantAsync();
        var quotes = new V1.Quotes.QuotesClient(node.Channel());
        var ct = TestContext.Current.CancellationToken;
        await quotes.PutQuoteAsync(new PutQuoteRequest { Symbol = "DRN", Price = "1" }, GrpcNode.ServerToken(tenant), cancellationToken: ct);
        using var watch = quotes.WatchQuotes(new WatchQuotesRequest { Symbols = { "DRN" } }, GrpcNode.Key(tenant), cancellationToken: ct);
        (await watch.ResponseStream.MoveNext(ct)).ShouldBeTrue();

        node.Services.GetRequiredService<DrainState>().BeginDraining();

        (await Refusals.OfAsync(() => watch.ResponseStream.MoveNext(ct))).ShouldBe((StatusCode.Unavailable, "shutting_down"));
    }

    [Fact]
    public async Task With_redis_gone_reads_and_writes_are_unavailable_with_the_code_rest_gives()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = new GrpcNode(await TestStores.CreateAsync("postgres"), new Dictionary<string, string?>
        {
            ["Stoa:Redis"] = redis.Url,
            ["Stoa:RateLimits:Enabled"] = "true",
        });
        var tenant = await node.CreateTenantAsync();
        var quotes = new V1.Quotes.QuotesClient(node.Channel());
        var ct = TestContext.Current.CancellationToken;
        await quotes.PutQuoteAsync(new PutQuoteRequest { Symbol = "OUT", Price = "3" }, GrpcNode.ServerToken(tenant), cancellationToken: ct);

        redis.Kill();

        using var rest = tenant.App();
        using var restRead = await rest.GetAsync("/v1/quotes/OUT", ct);
        var problem = JsonDocument.Parse(await restRead.Content.ReadAsStringAsync(ct)).RootElement;
        problem.GetProperty("code").GetString().ShouldBe("engine_unavailable", problem.ToString());
        var read = await Should.ThrowAsync<RpcException>(() =>
            quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = "OUT" }, GrpcNode.Key(tenant), cancellationToken: ct).ResponseAsync);
        (read.StatusCode, read.Trailers.GetValue("stoa-code")).ShouldBe((StatusCode.Unavailable, "engine_unavailable"));
        read.Trailers.GetValue("retry-after").ShouldBe("1");
        (await Refusals.OfAsync(() => quotes.PutQuoteAsync(new PutQuoteRequest { Symbol = "OUT", Price = "4" }, GrpcNode.ServerToken(tenant),
                cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.Unavailable, "engine_unavailable"));
    }

    [Fact]
    public async Task Reads_past_the_limit_are_resource_exhausted_with_the_rate_limited_code()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite(), new Dictionary<string, string?>
        {
            ["Stoa:RateLimits:Enabled"] = "true",
            ["Stoa:RateLimits:Policies:reads:Capacity"] = "2",
            ["Stoa:RateLimits:Policies:reads:TokensPerSecond"] = "0.01",
        });
        var tenant = await node.CreateTenantAsync();
        var quotes = new V1.Quotes.QuotesClient(node.Channel());
        var ct = TestContext.Current.CancellationToken;
        await quotes.PutQuoteAsync(new PutQuoteRequest { Symbol = "LIM", Price = "1" }, GrpcNode.ServerToken(tenant), cancellationToken: ct);

        for (var i = 0; i < 2; i++)
        {
            await quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = "LIM" }, GrpcNode.Key(tenant), cancellationToken: ct);
        }

        var ex = await Should.ThrowAsync<RpcException>(() =>
            quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = "LIM" }, GrpcNode.Key(tenant), cancellationToken: ct).ResponseAsync);
        ex.StatusCode.ShouldBe(StatusCode.ResourceExhausted);
        ex.Trailers.GetValue("stoa-code").ShouldBe("rate_limited");
        int.Parse(ex.Trailers.GetValue("retry-after")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
    }
}
