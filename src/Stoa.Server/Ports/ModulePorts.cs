using Microsoft.Extensions.DependencyInjection.Extensions;
using Stoa.Comments;
using Stoa.Comments.Core;
using Stoa.Previews;

namespace Stoa.Server.Ports;

/// <summary>
/// Where one module needs another, it declares a port; here the composition root connects the modules this node
/// runs. A port whose provider runs elsewhere keeps the module's own default.
/// </summary>
internal static class ModulePorts
{
    public static void Connect(IServiceCollection services, IReadOnlyList<StoaModule> modules)
    {
        bool Runs(string name) => modules.Any(m => m.Name == name);
        if (Runs(CommentsModule.Name) && Runs(PreviewsModule.Name))
        {
            services.Replace(ServiceDescriptor.Singleton<ILinkPreviewer, CommentsLinkPreviewer>());
        }
    }
}
