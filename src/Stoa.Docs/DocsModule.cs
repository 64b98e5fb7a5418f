using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Stoa.Docs;

/// <summary>The module's only public entry: its services and its endpoints.</summary>
public static class DocsModule
{
    public const string Name = "docs";

    public static IServiceCollection AddDocs(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapDocs(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
