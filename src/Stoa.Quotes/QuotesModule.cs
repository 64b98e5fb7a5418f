using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Grpc;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.RateLimiting;
using Stoa.Foundation.Realtime;
using Stoa.Foundation.Sql;
using Stoa.Foundation.Telemetry;
using Stoa.Quotes.Api;
using Stoa.Quotes.Core;
using Stoa.Quotes.Feeds;
using Stoa.Quotes.Storage;

namespace Stoa.Quotes;

/// <summary>The module's only public entry: its services and its endpoints.</summary>
public static class QuotesModule
{
    public const string Name = "quotes";

    /// <summary>The module's settings, checked at start-up for unknown keys and durations.</summary>
    public static SettingsSection Settings { get; } = new(QuotesOptions.Section, typeof(QuotesOptions));

    public static IServiceCollection AddQuotes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiTag("quotes", "The latest price of a symbol from the node's memory, pushes from the app's backend, and a live stream (docs/quotes.md).");
        var options = services.AddStoaModule<QuotesOptions>(new StoaModuleSpec(Name, typeof(QuotesModule).Assembly, QuotesJsonContext.Default),
            configuration.GetSection(QuotesOptions.Section), o => o.Validate());
        services.AddSingleton(sp => new QuotesMetrics(sp.GetRequiredKeyedService<ModuleTelemetry>(Name), sp));
        services.AddSingleton<IQuoteArchive>(sp => new CachingQuoteArchive(
            new SqlQuoteArchive(sp.GetRequiredService<StoaDatabase>()), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IQuoteStore>(sp => new DurableQuoteStore(
            new EngineQuoteStore(sp.GetRequiredService<IEngine>(), sp.GetRequiredService<RealtimeHub>(), options.NearCache,
                sp.GetRequiredService<QuotesMetrics>(), sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<IQuoteArchive>(), sp.GetRequiredService<QuotesMetrics>()));
        services.AddSingleton(sp => new QuoteService(sp.GetRequiredService<IQuoteStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IQuoteArchive>()));
        // An app's backend pushing prices writes far more often than the platform's "writes" policy allows; this
        // policy can still be tuned under Stoa:RateLimits:Policies:quote-pushes.
        services.PostConfigure<RateLimitOptions>(limits =>
            limits.Policies.TryAdd(QuotesApi.WritePolicy, new RateLimitPolicyOptions
            {
                Capacity = 1000, TokensPerSecond = 500, AppCapacity = 5000, AppTokensPerSecond = 2500,
            }));

        switch (options.Feed)
        {
            case SimulatedExchange.FeedName:
                services.AddSingleton<IQuoteFeed, SimulatedExchange>();
                break;
            case HttpPollingFeed.FeedName:
                services.AddSingleton(sp => new HttpQuoteProvider(options.Http, sp.GetRequiredService<TimeProvider>(),
                    telemetry: sp.GetRequiredKeyedService<ModuleTelemetry>(Name)));
                services.AddSingleton<IQuoteFeed, HttpPollingFeed>();
                break;
        }

        if (options.Feed != "none")
        {
            services.AddSingleton<FeedLeader>();
            services.AddHostedService(sp => sp.GetRequiredService<FeedLeader>());
        }

        return services;
    }

    public static IEndpointRouteBuilder MapQuotes(this IEndpointRouteBuilder endpoints)
    {
        // Created now so that its gauges exist before the first scrape.
        _ = endpoints.ServiceProvider.GetRequiredService<QuotesMetrics>();
        var group = endpoints.MapQuotesApi();
        group.MapQuoteStreams();
        if (endpoints.ServesGrpc())
        {
            QuotesGrpcService.MapQuotesGrpc(endpoints);
        }

        if (endpoints.ServiceProvider.GetRequiredService<QuotesOptions>().BenchEndpoints)
        {
            MapBenchEndpoints(group, endpoints.ServiceProvider.GetRequiredService<IEngine>());
        }

        return endpoints;
    }

    /// <summary>
    /// The baselines of bench/quotes, behind the same auth and rate limiting as the real read: a constant answer of the
    /// same size (the cost of the pipeline alone), and the read without the near-cache (one engine round trip).
    /// </summary>
    private static void MapBenchEndpoints(RouteGroupBuilder group, IEngine engine)
    {
        var direct = new QuoteService(new EngineQuoteStore(engine, hub: null, nearCache: false), TimeProvider.System);
        var constant = new Quote("AAPL", 228.52m, "USD", 1.23m, 0.54m, DateTimeOffset.UnixEpoch, 1, "static");
        group.MapGet("/_bench/static", (TimeProvider time) => TypedResults.Ok(QuoteView.Of(constant, time.GetUtcNow())))
            .RequireApp().RateLimit("reads").ExcludeFromDescription();
        group.MapGet("/_bench/engine/{symbol}", async Task<Ok<QuoteView>> (string symbol, Caller caller, TimeProvider time, CancellationToken ct) =>
                TypedResults.Ok(QuoteView.Of(await direct.GetAsync(caller.AppId, Symbols.Parse(symbol), ct), time.GetUtcNow())))
            .RequireApp().RateLimit("reads").ExcludeFromDescription();
    }
}
