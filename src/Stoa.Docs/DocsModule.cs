using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stoa.Docs.Api;
using Stoa.Docs.Core;
using Stoa.Docs.Relay;
using Stoa.Docs.Storage;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.Sql;

namespace Stoa.Docs;

/// <summary>The module's only public entry: its services and its endpoints.</summary>
public static class DocsModule
{
    public const string Name = "docs";

    public static IServiceCollection AddDocs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(Options.Create(ModuleOptions.Read<DocOptions>(configuration.GetSection(DocOptions.Section), o => o.Validate())));
        services.AddMigrations(new MigrationSet(Name, typeof(DocsModule).Assembly));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IDocStore, SqlDocStore>();
        services.AddSingleton<DocService>();
        services.AddSingleton<DocRelay>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, DocsJsonContext.Default));
        return services;
    }

    public static IEndpointRouteBuilder MapDocs(this IEndpointRouteBuilder endpoints)
    {
        DocsApi.Map(endpoints);
        return endpoints;
    }
}
