using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Stoa.Comments;

/// <summary>The module's only public entry: its services and its endpoints.</summary>
public static class CommentsModule
{
    public const string Name = "comments";

    public static IServiceCollection AddComments(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapComments(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
