using Microsoft.AspNetCore.Http;
using System.Net;
using Polly.CircuitBreaker;
using Stoa.Quotes.Core;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Telemetry;
using Stoa.Quotes.Feeds;

namespace Stoa.Quotes.Tests;

/// <summary>The HTTP polling adapter against a local fake provider, its failures included.</summary>
public sealed class HttpProviderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpFeedOptions Options(FakeProvider fake, Action<HttpFeedOptions>? configure = null)
    {
        var options = new HttpFeedOptions
        {
            UrlTemplate = fake.UrlTemplate,
            Headers = { ["X-Finnhub-Token"] = "secret-token" },
            Price = "c",
            Change = "d",
            ChangePercent = "dp",
            Time = "t",
            TimeFormat = "unix-s",
            // Generous: on a loaded machine a short deadline turns a good answer into a timeout and a retry.
            TimeoutSeconds = 5,
            MaxRetries = 2,
            RetryBaseDelaySeconds = 0.01,
            BreakerMinimumThroughput = 3,
            BreakerFailureRatio = 0.5,
            BreakerSamplingSeconds = 30,
            BreakerBreakSeconds = 30,
        };
        configure?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task Maps_the_configured_fields()
    {
        await using var fake = await FakeProvider.StartAsync();
        using var provider = new HttpQuoteProvider(Options(fake), TimeProvider.System);
        var quote = await provider.FetchAsync("AAPL", Ct);
        quote.ShouldBe(new ProviderQuote(228.52m, 1.25m, 0.55m, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), "USD"));
    }

    [Fact]
    public async Task Numbers_in_strings_nested_paths_and_iso_times_are_read()
    {
        await using var fake = await FakeProvider.StartAsync();
        fake.Answer = context => context.Response.WriteAsync(
            """{"data":[{"quote":{"price":"101.5000","ccy":"eur","time":"2026-11-20T21:00:00Z"}}]}""");
        using var provider = new HttpQuoteProvider(Options(fake, o =>
        {
            o.Price = "data.0.quote.price";
            o.CurrencyField = "data.0.quote.ccy";
            o.Time = "data.0.quote.time";
            o.TimeFormat = "iso8601";
            o.Change = null;
            o.ChangePercent = null;
        }), TimeProvider.System);
        var quote = await provider.FetchAsync("SAP", Ct);
        quote.ShouldBe(new ProviderQuote(101.5m, null, null, new DateTimeOffset(2026, 11, 20, 21, 0, 0, TimeSpan.Zero), "EUR"));
    }

    [Fact]
    public async Task A_429_is_retried_after_the_providers_retry_after()
    {
        await using var fake = await FakeProvider.StartAsync();
        var calls = 0;
        fake.Answer = context => Interlocked.Increment(ref calls) == 1 ? FakeProvider.Status(context, 429, "0") : fake.GoodAsync(context);
        using var provider = new HttpQuoteProvider(Options(fake), TimeProvider.System);
        (await provider.FetchAsync("AAPL", Ct)).Price.ShouldBe(228.52m);
        fake.Requests.ShouldBe(2);
    }

    [Fact]
    public async Task A_fetch_is_one_span_over_its_attempts_and_the_provider_never_gets_the_trace()
    {
        await using var fake = await FakeProvider.StartAsync();
        var calls = 0;
        var traceHeaders = 0;
        fake.Answer = context =>
        {
            if (context.Request.Headers.ContainsKey("traceparent"))
            {
                Interlocked.Increment(ref traceHeaders);
            }

            return Interlocked.Increment(ref calls) == 1 ? FakeProvider.Status(context, 503) : fake.GoodAsync(context);
        };
        var spans = new Stoa.Testing.RecordedSpans();
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration)
            .AddLogging()
            .AddStoaTelemetry(configuration)
            .ConfigureStoaTracing(t => spans.AddTo(t).AddSource("Stoa.Tests.Provider"));
        await using var host = services.BuildServiceProvider();
        host.GetRequiredService<OpenTelemetry.Trace.TracerProvider>();
        using var telemetry = new ModuleTelemetry("quotes");
        using var provider = new HttpQuoteProvider(Options(fake), TimeProvider.System, telemetry: telemetry);
        using var source = new System.Diagnostics.ActivitySource("Stoa.Tests.Provider");

        System.Diagnostics.ActivityTraceId traceId;
        using (var root = source.StartActivity("poll"))
        {
            traceId = root!.TraceId;
            (await provider.FetchAsync("AAPL", Ct)).Price.ShouldBe(228.52m);
        }

        var trace = spans.ForTrace(traceId);
        var fetch = trace.Single(s => s.DisplayName == "quotes.provider.fetch");
        fetch.GetTagItem("stoa.quotes.provider.attempts").ShouldBe(2);
        trace.Count(s => s.Source.Name == "System.Net.Http").ShouldBe(2, spans.Describe(traceId));
        traceHeaders.ShouldBe(0, "the provider is a third party: it must not learn this deployment's trace ids");
    }

    [Fact]
    public async Task A_timeout_is_retried_then_reported()
    {
        await using var fake = await FakeProvider.StartAsync();
        fake.Answer = FakeProvider.Hang;
        using var provider = new HttpQuoteProvider(Options(fake, o =>
        {
            o.BreakerMinimumThroughput = 100;
            o.TimeoutSeconds = 0.3;
        }), TimeProvider.System);
        await Should.ThrowAsync<Polly.Timeout.TimeoutRejectedException>(() => provider.FetchAsync("AAPL", Ct).AsTask());
        // Counted where they are sent: on a loaded machine a request can time out before the fake even sees it.
        provider.Requests.ShouldBe(3, "one try and two retries");
        fake.Requests.ShouldBeLessThanOrEqualTo(3);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"c":"abc"}""")]
    [InlineData("""{"c":-5}""")]
    [InlineData("""{"other":1}""")]
    [InlineData("""{"c":1,"t":"yesterday"}""")]
    public async Task Garbage_is_reported_without_retrying(string body)
    {
        await using var fake = await FakeProvider.StartAsync();
        fake.Answer = context => context.Response.WriteAsync(body);
        using var provider = new HttpQuoteProvider(Options(fake), TimeProvider.System);
        await Should.ThrowAsync<ProviderGarbageException>(() => provider.FetchAsync("AAPL", Ct).AsTask());
        fake.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task The_breaker_opens_on_repeated_failures_and_then_spares_the_provider()
    {
        await using var fake = await FakeProvider.StartAsync();
        fake.Answer = context => FakeProvider.Status(context, 503);
        using var provider = new HttpQuoteProvider(Options(fake, o => o.MaxRetries = 0), TimeProvider.System);
        for (var i = 0; i < 3; i++)
        {
            await Should.ThrowAsync<ProviderUnavailableException>(() => provider.FetchAsync("AAPL", Ct).AsTask());
        }

        provider.BreakerState.ShouldBe(CircuitState.Open);
        var before = fake.Requests;
        for (var i = 0; i < 10; i++)
        {
            await Should.ThrowAsync<BrokenCircuitException>(() => provider.FetchAsync("AAPL", Ct).AsTask());
        }

        fake.Requests.ShouldBe(before, "an open breaker sends nothing");
    }

    [Fact]
    public async Task The_breaker_closes_again_once_the_provider_recovers()
    {
        await using var fake = await FakeProvider.StartAsync();
        fake.Answer = FakeProvider.Garbage;
        using var provider = new HttpQuoteProvider(Options(fake, o =>
        {
            o.MaxRetries = 0;
            o.BreakerBreakSeconds = 0.5;
        }), TimeProvider.System);
        for (var i = 0; i < 3; i++)
        {
            await Should.ThrowAsync<ProviderGarbageException>(() => provider.FetchAsync("AAPL", Ct).AsTask());
        }

        provider.BreakerState.ShouldBe(CircuitState.Open);
        fake.Answer = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                (await provider.FetchAsync("AAPL", Ct)).Price.ShouldBe(228.52m);
                break;
            }
            catch (BrokenCircuitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }
        }

        provider.BreakerState.ShouldBe(CircuitState.Closed);
    }

    [Fact]
    public async Task The_http_feed_writes_market_quotes_every_app_reads_and_survives_provider_failures()
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var node = await QuotesNode.StartAsync(new Dictionary<string, string?>
        {
            ["Stoa:Quotes:Feed"] = "http",
            ["Stoa:Quotes:Symbols"] = "AAPL",
            ["Stoa:Quotes:Http:UrlTemplate"] = fake.UrlTemplate,
            ["Stoa:Quotes:Http:Headers:X-Finnhub-Token"] = "secret-token",
            ["Stoa:Quotes:Http:Price"] = "c",
            ["Stoa:Quotes:Http:Change"] = "d",
            ["Stoa:Quotes:Http:ChangePercent"] = "dp",
            ["Stoa:Quotes:Http:Time"] = "t",
            ["Stoa:Quotes:Http:PollIntervalSeconds"] = "0.05",
            ["Stoa:Quotes:Http:TimeoutSeconds"] = "2",
            ["Stoa:Quotes:Http:MaxBackoffSeconds"] = "0.2",
            ["Stoa:Quotes:Http:RetryBaseDelaySeconds"] = "0.01",
            ["Stoa:Quotes:Http:BreakerBreakSeconds"] = "0.5",
        });
        var tenant = await node.CreateTenantAsync();
        using var client = tenant.App();
        var quote = await QuotesApiTests.WaitForQuoteAsync(client, "AAPL");
        (quote.Price, quote.Source, quote.Seq).ShouldBe((228.52m, "http", 1_700_000_000_000_000L));

        fake.Answer = FakeProvider.Garbage;
        await Task.Delay(500, Ct);
        fake.Answer = context => FakeProvider.Status(context, 429, "0");
        await Task.Delay(300, Ct);
        fake.Answer = null;
        fake.Price = 230.10m;
        fake.Time += 60;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(50, Ct);
            quote = await (await client.GetAsync("/v1/quotes/AAPL", Ct)).ReadQuoteAsync(Ct);
        }
        while (quote.Price != 230.10m && DateTime.UtcNow < deadline);
        quote.Price.ShouldBe(230.10m, "the feed recovers by itself once the provider does");
    }
}
