using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Stoa.Follows.Api;
using Stoa.Follows.Core;
using Stoa.Follows.Storage;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.OpenApi;

namespace Stoa.Follows;

/// <summary>Who follows whom: the store holds the truth, engine sorted sets the lists, process memory the hot pages.</summary>
public static class FollowsModule
{
    public const string Name = "follows";

    public static IServiceCollection AddFollows(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiTag("follows", "Who follows whom: counts, and follower lists newest first (docs/follows.md).");
        services.AddStoaModule(new StoaModuleSpec(Name, typeof(FollowsModule).Assembly, FollowsJsonContext.Default));
        services.TryAddSingleton<IFollowStore, SqlFollowStore>();
        services.TryAddSingleton<IFollowLists, EngineFollowLists>();
        services.TryAddSingleton<FollowService>();
        return services;
    }

    public static IEndpointRouteBuilder MapFollows(this IEndpointRouteBuilder endpoints)
    {
        FollowsApi.Map(endpoints);
        return endpoints;
    }

    /// <summary>Restores the Redis lists of one app (or every app) from the store: `stoa follows rebuild`.</summary>
    public static async Task<long> RebuildAsync(IServiceProvider services, Guid? appId, CancellationToken cancellationToken)
    {
        var lists = services.GetRequiredService<IFollowLists>();
        var apps = appId is { } one ? [one] : await services.GetRequiredService<IFollowStore>().AppsAsync(cancellationToken);
        long applied = 0;
        foreach (var app in apps)
        {
            applied += await lists.RebuildAsync(app, cancellationToken);
        }

        return applied;
    }
}
