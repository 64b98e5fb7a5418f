using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Hosting;

namespace Stoa.Foundation.Grpc;

/// <summary>
/// gRPC for app backends, on when <c>Stoa:GrpcUrls</c> names at least one listen URL. Cleartext gRPC (h2c) needs an
/// endpoint that speaks HTTP/2 alone, so each gRPC URL is a Kestrel endpoint of its own beside those of
/// <c>Stoa:Urls</c>. gRPC calls go through the same middleware as REST requests (authentication from <c>x-api-key</c>
/// and <c>authorization</c> metadata, rate limits, draining), since ASP.NET Core routes both to endpoints: a service
/// declares its methods' requirements with the same conventions (<see cref="Method"/>).
/// </summary>
public static class GrpcHosting
{
    /// <summary>Sets the node's listen endpoints and registers gRPC when it is on; otherwise the node listens on <c>Stoa:Urls</c> alone.</summary>
    internal static void AddStoaGrpc(this WebApplicationBuilder builder, StoaOptions options)
    {
        if (options.GrpcUrlList.Count == 0)
        {
            builder.WebHost.UseUrls([.. options.UrlList]);
            return;
        }

        // Endpoints given to Kestrel replace UseUrls, so the REST URLs become endpoints too; Kestrel parses every URL
        // as it would have (localhost, +, https with the default certificate).
        var endpoints = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < options.UrlList.Count; i++)
        {
            endpoints[$"Endpoints:http{i}:Url"] = options.UrlList[i];
        }

        for (var i = 0; i < options.GrpcUrlList.Count; i++)
        {
            endpoints[$"Endpoints:grpc{i}:Url"] = options.GrpcUrlList[i];
            endpoints[$"Endpoints:grpc{i}:Protocols"] = "Http2";
        }

        var listeners = new GrpcListeners();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(endpoints).Build();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var loader = kestrel.Configure(configuration);
            for (var i = 0; i < options.GrpcUrlList.Count; i++)
            {
                var scheme = options.GrpcUrlList[i].StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
                loader.Endpoint($"grpc{i}", endpoint => listeners.Add(endpoint.ListenOptions, scheme));
            }
        });

        var services = builder.Services;
        services.AddSingleton(listeners);
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<GrpcErrorInterceptor>();
            // The same bound as a REST body: a message is read whole into memory before a service sees it.
            grpc.MaxReceiveMessageSize = (int)Math.Min(options.MaxRequestBodyBytes, int.MaxValue);
            grpc.EnableDetailedErrors = false;
        });
        services.AddGrpcHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
        services.AddGrpcReflection();
    }

    /// <summary>Whether this node serves gRPC (<c>Stoa:GrpcUrls</c> set): modules map their services only then.</summary>
    public static bool ServesGrpc(this IEndpointRouteBuilder endpoints) => endpoints.ServiceProvider.GetService<GrpcListeners>() is not null;

    /// <summary>
    /// Maps a module's gRPC service. Like a <c>/v1</c> route that declares nothing, each method needs an app key
    /// unless it declares otherwise: forgetting a declaration must not make a method public.
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder MapStoaGrpcService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : class =>
        endpoints.MapGrpcService<TService>().RequireApp();

    /// <summary>Conventions for one method of a service (<c>.Method("PutQuote").RequireServer()</c>), declared after the service's own.</summary>
    public static IEndpointConventionBuilder Method(this GrpcServiceEndpointConventionBuilder service, string name) =>
        new MethodConventions(service, name);

    /// <summary><c>grpc.health.v1</c> (readiness, as <c>/readyz</c>) and server reflection, public like the health endpoints.</summary>
    internal static void MapStoaGrpc(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServesGrpc())
        {
            return;
        }

        endpoints.MapGrpcHealthChecksService().AllowAnonymous();
        endpoints.MapGrpcReflectionService().AllowAnonymous();
    }

    private sealed class MethodConventions(IEndpointConventionBuilder service, string method) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention) => service.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<GrpcMethodMetadata>().Any(m => m.Method.Name == method))
            {
                convention(endpoint);
            }
        });
    }
}
