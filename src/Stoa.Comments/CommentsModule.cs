using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stoa.Comments.Api;
using Stoa.Comments.Contracts;
using Stoa.Comments.Core;
using Stoa.Comments.Realtime;
using Stoa.Comments.Storage;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.Sql;

namespace Stoa.Comments;

/// <summary>The module's only public entry: its services and its endpoints.</summary>
public static class CommentsModule
{
    public const string Name = "comments";

    /// <summary>The module's settings, checked at start-up for unknown keys and durations.</summary>
    public static SettingsSection Settings { get; } = new(CommentsOptions.Section, typeof(CommentsOptions));

    public static IServiceCollection AddComments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiTag("comments", "Threaded comments with votes, likes, reply counts, seven sorts and a live event stream per thread (docs/comments.md).");
        services.Configure<OpenApiOptions>(OpenApiSetup.DocumentName, o => o.AddOperationTransformer(new ListingLimitsSchema()));
        services.AddStoaModule<CommentsOptions>(new StoaModuleSpec(Name, typeof(CommentsModule).Assembly, CommentsJsonContext.Default),
            configuration.GetSection(CommentsOptions.Section), o => o.Validate());
        services.TryAddSingleton<ILinkPreviewer, NoLinkPreviewer>();
        services.TryAddSingleton<ICommentEvents, ThreadEvents>();
        services.TryAddSingleton(sp => new SqlCommentStore(sp.GetRequiredService<StoaDatabase>()));
        services.TryAddSingleton<ICommentStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CommentsOptions>>().Value;
            ICommentStore store = sp.GetRequiredService<SqlCommentStore>();
            return options.CacheFirstPages ? new CachingCommentStore(store, sp.GetRequiredService<IEngine>(), options.PageTtl) : store;
        });
        services.TryAddSingleton<CommentService>();
        return services;
    }

    public static IEndpointRouteBuilder MapComments(this IEndpointRouteBuilder endpoints)
    {
        ThreadsApi.Map(endpoints);
        CommentsApi.Map(endpoints);
        return endpoints;
    }

    /// <summary>
    /// Writes realistic benchmark data for one app straight into the store (<c>stoa seed comments</c>): a big thread
    /// <c>seed-big</c> of <paramref name="bigThread"/> comments, the rest of <paramref name="comments"/> spread over
    /// <paramref name="threads"/> threads <c>seed-00000</c>…, repeatable for one <paramref name="randomSeed"/>.
    /// Progress goes to <paramref name="progress"/>. The schema must be migrated.
    /// </summary>
    public static Task SeedAsync(IServiceProvider services, Guid appId, int comments, int bigThread, int threads, int randomSeed,
        TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(comments);
        ArgumentOutOfRangeException.ThrowIfNegative(bigThread);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        var seeder = new CommentSeeder(services.GetRequiredService<StoaDatabase>(), appId, randomSeed, comments, progress);
        return seeder.RunAsync(Math.Min(bigThread, comments), threads, cancellationToken);
    }
}
