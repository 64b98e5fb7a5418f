using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Memory;
using Stoa.Foundation.Health;
using Stoa.Foundation.RateLimiting;
using Stoa.Foundation.Realtime;

namespace Stoa.Foundation.Hosting;

/// <summary>Registrations of the platform services every module uses: engine, apps and auth, rate limits.</summary>
public static class PlatformServices
{
    /// <summary>The engine chosen by <c>Stoa:Redis</c>, registered under each of its interfaces.</summary>
    public static IServiceCollection AddStoaEngine(this IServiceCollection services, StoaOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            services.TryAddSingleton<IEngine>(sp => new MemoryEngine(sp.GetRequiredService<TimeProvider>(), maxBytes: options.MemoryEngineMaxBytes));
        }
        else
        {
            // Resolved once, at start-up: a node that cannot reach Redis within the patience window fails to start
            // with one line naming Stoa:Redis and the reason, rather than serving with a broken engine.
            var url = options.Redis;
            services.TryAddSingleton<IEngine>(sp => StartupWait.ConnectRedis(url, options,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupWait))));
        }

        services.TryAddSingleton<IPubSub>(sp => sp.GetRequiredService<IEngine>());
        services.TryAddSingleton<IKeyValueStore>(sp => sp.GetRequiredService<IEngine>());
        services.TryAddSingleton<ISortedSets>(sp => sp.GetRequiredService<IEngine>());
        services.TryAddSingleton<ILeases>(sp => sp.GetRequiredService<IEngine>());
        services.TryAddSingleton<IRateLimitBuckets>(sp => sp.GetRequiredService<IEngine>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IEngine>().NearCache);
        services.AddHostedService<EngineMetrics>();
        services.AddSingleton<IReadinessCheck, EngineReadinessCheck>();
        services.TryAddSingleton<RealtimeHub>();
        return services;
    }

    public static IServiceCollection AddStoaAuth(this IServiceCollection services)
    {
        services.TryAddSingleton<AppStore>();
        services.TryAddSingleton<AppDirectory>();
        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Cors.Infrastructure.ICorsPolicyProvider, CrossOriginPolicy>());
        return services;
    }

    public static IServiceCollection AddStoaRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(RateLimitOptions.Section);
        ModuleOptions.Read<RateLimitOptions>(section, o => [.. RateLimitOptions.Unreadable(section), .. o.Validate()]);
        services.Configure<RateLimitOptions>(section);
        services.TryAddSingleton<LocalRateLimitBuckets>();
        return services;
    }
}
