using Microsoft.Extensions.DependencyInjection.Extensions;
using Stoa.Comments;
using Stoa.Comments.Core;
using Stoa.Foundation.Auth;
using Stoa.Previews;

namespace Stoa.Server.Ports;

/// <summary>
/// Where one module needs another, it declares a port; here the composition root connects the modules this node
/// runs. A port whose provider runs elsewhere gets a gRPC adapter when the setting naming those nodes is set, and keeps
/// the module's own default otherwise.
/// </summary>
internal static class ModulePorts
{
    public static void Connect(IServiceCollection services, IConfiguration configuration, IReadOnlyList<StoaModule> modules)
    {
        bool Runs(string name) => modules.Any(m => m.Name == name);
        if (Runs(CommentsModule.Name) && Runs(PreviewsModule.Name))
        {
            services.Replace(ServiceDescriptor.Singleton<ILinkPreviewer, CommentsLinkPreviewer>());
        }
        else if (Runs(CommentsModule.Name) && PreviewsModule.GrpcUrls(configuration) is { Count: > 0 } previews)
        {
            // A split deployment (docs/operations.md): the nodes that run previews serve it over gRPC.
            services.Replace(ServiceDescriptor.Singleton<ILinkPreviewer>(sp => new GrpcLinkPreviewer(
                PreviewsChannel.For(previews), sp.GetRequiredService<AppStore>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<GrpcLinkPreviewer>>())));
        }
    }
}
