using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Grpc;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.RateLimiting;
using Stoa.Foundation.Telemetry;
using Stoa.Previews.Api;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;
using Stoa.Previews.Inspection;
using Stoa.Previews.Storage;

namespace Stoa.Previews;

/// <summary>URL → link card, fetched safely, cached in the engine, shared with other modules through <see cref="ILinkCards"/>.</summary>
public static partial class PreviewsModule
{
    public const string Name = "previews";
    public const string Section = "Stoa:Previews";

    /// <summary>The module's settings, checked at start-up for unknown keys and durations.</summary>
    public static SettingsSection Settings { get; } = new(Section, typeof(PreviewOptions));

    public static IServiceCollection AddPreviews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiTag("previews", "Link cards from URLs: Open Graph, Twitter cards, oEmbed, JSON-LD (docs/previews.md).");
        var options = services.AddStoaModule<PreviewOptions>(new StoaModuleSpec(Name, Json: PreviewsJsonContext.Default),
            configuration.GetSection(Section), read: ReadOptions);
        services.TryAddSingleton(sp =>
        {
            var service = new PreviewService(options, telemetry: sp.GetRequiredKeyedService<ModuleTelemetry>(Name), timeProvider: sp.GetRequiredService<TimeProvider>());
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PreviewService));
            service.BreakerStateChanged += change => LogBreaker(logger, change.Host, change.State);
            return service;
        });
        services.TryAddSingleton<IPageCards>(sp => sp.GetRequiredService<PreviewService>());
        services.TryAddSingleton<IPreviewCache>(sp => new EnginePreviewCache(sp.GetRequiredService<IEngine>(), sp.GetRequiredKeyedService<ModuleTelemetry>(Name)));
        services.TryAddSingleton<LinkPreviewer>();
        services.TryAddSingleton<ILinkCards>(sp => sp.GetRequiredService<LinkPreviewer>());
        // Each preview may cost an upstream fetch: a tighter default than plain reads.
        services.PostConfigure<RateLimitOptions>(o => o.Policies.TryAdd("previews", new RateLimitPolicyOptions
        {
            Capacity = 60, TokensPerSecond = 2, AppCapacity = 1200, AppTokensPerSecond = 40,
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapPreviews(this IEndpointRouteBuilder endpoints)
    {
        PreviewsApi.Map(endpoints);
        if (endpoints.ServesGrpc())
        {
            PreviewsGrpcService.MapPreviewsGrpc(endpoints);
        }

        return endpoints;
    }

    /// <summary>
    /// <c>stoa previews inspect</c>: writes to <paramref name="output"/> the card <paramref name="url"/> yields and, for
    /// each field, which source won and which candidates lost (with <paramref name="json"/>, the card alone as the API
    /// returns it). The page is fetched, or read from <paramref name="savedPage"/> as if <paramref name="url"/> had served
    /// those bytes with <paramref name="headerCharset"/> in its Content-Type; <paramref name="offline"/> fetches neither
    /// its oEmbed document nor its manifest. Settings are the <c>Stoa:Previews</c> section of
    /// <paramref name="configuration"/>; no cache is read or written.
    /// </summary>
    /// <returns>0 with a card; 2 after writing the reason (a bad setting or URL, a refused or failed fetch) to <paramref name="error"/>.</returns>
    public static Task<int> InspectAsync(IConfiguration configuration, string url, byte[]? savedPage, string? headerCharset,
        bool offline, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        PreviewInspector.RunAsync(configuration, url, savedPage, headerCharset, offline, json, output, error, cancellationToken);

    /// <summary>
    /// <c>Stoa:Previews:GrpcUrl</c>: where nodes without previews reach the nodes that run it over gRPC (http(s) URLs,
    /// or one <c>dns:///</c> name), empty when unset; throws <see cref="InvalidConfigurationException"/> naming the
    /// setting when it is neither.
    /// </summary>
    public static IReadOnlyList<Uri> GrpcUrls(IConfiguration configuration)
    {
        var url = configuration[$"{Section}:{nameof(PreviewOptions.GrpcUrl)}"];
        return PreviewService.GrpcUrlProblem(url) is { } problem
            ? throw new InvalidConfigurationException([$"{Section}:{problem}"])
            : string.IsNullOrWhiteSpace(url) ? [] : PreviewService.GrpcTargets(url)!;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preview breaker for {Host} is now {State}")]
    private static partial void LogBreaker(ILogger logger, string host, BreakerState state);

    /// <summary>
    /// Binds <c>Stoa:Previews</c>. Lists replace the defaults instead of being appended to them (the configuration
    /// binder would otherwise add configured ports to 80 and 443); bad values name the setting.
    /// </summary>
    internal static PreviewOptions ReadOptions(IConfigurationSection section)
    {
        var options = new PreviewOptions();
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidConfigurationException([ex.Message]);
        }

        var ports = section.GetSection(nameof(PreviewOptions.AllowedPorts)).Get<int[]>();
        if (ports is { Length: > 0 })
        {
            options.AllowedPorts = ports;
        }

        var networks = section.GetSection(nameof(PreviewOptions.AllowedNetworks)).Get<string[]>();
        options.AllowedNetworks = networks ?? [];
        var errors = PreviewService.Problems(options).Select(problem => $"{Section}:{problem}").ToList();
        return errors.Count > 0 ? throw new InvalidConfigurationException(errors) : options;
    }
}
