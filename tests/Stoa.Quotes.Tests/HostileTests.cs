using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Sql;
using Stoa.Quotes.Core;
using Stoa.Quotes.Storage;
using Stoa.Redis;
using Stoa.Testing;

namespace Stoa.Quotes.Tests;

/// <summary>
/// Reads of unknown symbols that cost the store a query each, many symbols for the price of one, writes to the
/// stream's path, seqs past what the engine can compare, and a late write after Redis lost its data.
/// </summary>
public sealed class HostileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_symbol_costs_the_archive_one_query_until_its_answer_expires_or_it_is_written()
    {
        await using var node = await QuotesNode.StartAsync();
        var time = new MovableTime();
        var counted = new CountingArchive(new SqlQuoteArchive(node.Services.GetRequiredService<StoaDatabase>()));
        var archive = new CachingQuoteArchive(counted, time);
        var app = Guid.NewGuid();

        for (var i = 0; i < 100; i++)
        {
            (await archive.FindAsync(app, "NOPE", Ct)).ShouldBe(ArchivedQuotes.None);
        }

        counted.Finds.ShouldBe(1);
        time.Advance(CachingQuoteArchive.Ttl);
        (await archive.FindAsync(app, "NOPE", Ct)).ShouldBe(ArchivedQuotes.None);
        counted.Finds.ShouldBe(2);

        await archive.SaveAsync(app, new Quote("NOPE", 1m, "USD", null, null, DateTimeOffset.UtcNow, 1, "app"), Ct);
        (await archive.FindAsync(app, "NOPE", Ct)).Own.ShouldNotBeNull("a write through this node forgets the miss at once");
    }

    [Fact]
    public async Task A_read_of_many_symbols_is_charged_one_token_per_symbol()
    {
        await using var node = await QuotesNode.StartAsync(new Dictionary<string, string?>
        {
            ["Stoa:RateLimits:Enabled"] = "true",
            ["Stoa:RateLimits:Policies:reads:Capacity"] = "30",
            ["Stoa:RateLimits:Policies:reads:TokensPerSecond"] = "0.01",
        });
        using var client = (await node.CreateTenantAsync()).App();
        var symbols = string.Join(',', Enumerable.Range(0, 20).Select(i => $"U{i}"));

        var first = await client.GetAsync($"/v1/quotes?symbols={symbols}", Ct);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Headers.GetValues("X-RateLimit-Remaining").Single().ShouldBe("10");
        await (await client.GetAsync($"/v1/quotes?symbols={symbols}", Ct)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, FoundationErrors.RateLimited);
    }

    [Theory]
    [InlineData("stream")]
    [InlineData("STREAM")]
    public async Task Writing_to_the_stream_path_is_a_405_not_a_quote_nobody_can_read(string symbol)
    {
        await using var node = await QuotesNode.StartAsync();
        using var backend = (await node.CreateTenantAsync()).Server();
        await (await backend.PutQuoteAsync(symbol, 1m, seq: 1, Ct)).ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, FoundationErrors.MethodNotAllowed);
        await (await backend.DeleteAsync($"/v1/quotes/{symbol}", Ct)).ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, FoundationErrors.MethodNotAllowed);
    }

    [Theory]
    [InlineData("2300-01-01T00:00:00Z")]
    [InlineData("1969-12-31T23:59:59Z")]
    public async Task A_seq_derived_from_an_at_outside_what_the_engine_compares_exactly_is_refused(string at)
    {
        await using var node = await QuotesNode.StartAsync();
        using var backend = (await node.CreateTenantAsync()).Server();
        var response = await backend.PutAsJsonAsync("/v1/quotes/FAR", new { price = 1m, at = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture) }, Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        problem.GetProperty("errors").TryGetProperty("at", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task After_redis_lost_its_data_a_late_older_write_is_refused_and_not_served()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await QuotesNode.StartDeployedAsync(redis);
        var tenant = await node.CreateTenantAsync();
        using var backend = tenant.Server();
        using var reader = tenant.App();
        (await backend.PutQuoteAsync("LATE", 10m, seq: 10, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var admin = await RedisClient.ConnectAsync(redis.Url, Ct))
        {
            await admin.ExecuteAsync("FLUSHALL", [], Ct);
        }

        // The archive has seq 10; the engine, empty now, would take anything.
        await (await backend.PutQuoteAsync("LATE", 5m, seq: 5, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "quote_superseded");
        var served = await (await reader.GetAsync("/v1/quotes/LATE", Ct)).ReadQuoteAsync(Ct);
        (served.Seq, served.Price).ShouldBe((10L, 10m));
    }

    [Fact]
    public async Task A_read_the_engine_cannot_answer_is_answered_from_the_archive_and_writes_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await QuotesNode.StartDeployedAsync(redis);
        var tenant = await node.CreateTenantAsync();
        using var backend = tenant.Server();
        using var reader = tenant.App();
        (await backend.PutQuoteAsync("OWN", 7m, seq: 3, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var admin = await RedisClient.ConnectAsync(redis.Url, Ct);
        await admin.ExecuteAsync("FLUSHALL", [], Ct);

        for (var i = 0; i < 5; i++)
        {
            (await (await reader.GetAsync("/v1/quotes/OWN", Ct)).ReadQuoteAsync(Ct)).Price.ShouldBe(7m);
        }

        (await admin.ExecuteAsync("DBSIZE", [], Ct)).AsInt64().ShouldBe(0, "a read put nothing back into the engine");
    }

    private sealed class CountingArchive(IQuoteArchive inner) : IQuoteArchive
    {
        private int _finds;

        public int Finds => Volatile.Read(ref _finds);

        public Task<bool> SaveAsync(Guid scope, Quote quote, CancellationToken cancellationToken) => inner.SaveAsync(scope, quote, cancellationToken);

        public Task<ArchivedQuotes> FindAsync(Guid appId, string symbol, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _finds);
            return inner.FindAsync(appId, symbol, cancellationToken);
        }

        public Task DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken) => inner.DeleteAsync(scope, symbol, cancellationToken);
    }

    private sealed class MovableTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
