using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Docs.Api;
using Stoa.Docs.Core;
using Stoa.Docs.Relay;
using Stoa.Docs.Storage;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.Telemetry;

namespace Stoa.Docs;

/// <summary>The module's only public entry: its services and its endpoints.</summary>
public static class DocsModule
{
    public const string Name = "docs";

    /// <summary>The module's settings, checked at start-up for unknown keys and durations.</summary>
    public static SettingsSection Settings { get; } = new(DocOptions.Section, typeof(DocOptions));

    public static IServiceCollection AddDocs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiTag("docs", "Realtime collaborative plain text over operational transformation: REST and a WebSocket (docs/docs-protocol.md).");
        services.AddStoaModule<DocOptions>(new StoaModuleSpec(Name, typeof(DocsModule).Assembly, DocsJsonContext.Default),
            configuration.GetSection(DocOptions.Section), o => o.Validate());
        services.AddSingleton(sp => new DocMetrics(sp.GetRequiredKeyedService<ModuleTelemetry>(Name)));
        services.AddSingleton<IDocStore, SqlDocStore>();
        services.AddSingleton<CommitFeed>();
        services.AddSingleton<StorageQuota>();
        services.AddSingleton<DocAccessControl>();
        services.AddSingleton<ClientBindings>();
        services.AddSingleton<DocSequencers>();
        services.AddSingleton<DocEditing>();
        services.AddSingleton<DocCatalog>();
        services.AddSingleton<DocRelay>();
        services.Configure<OpenApiOptions>(OpenApiSetup.DocumentName, o => o.AddDocumentTransformer(new TextOpSchema()));
        return services;
    }

    public static IEndpointRouteBuilder MapDocs(this IEndpointRouteBuilder endpoints)
    {
        DocsApi.Map(endpoints);
        return endpoints;
    }
}
