using Stoa.Foundation.Hosting;

namespace Stoa.Server;

/// <summary>The composition root: the foundation, then each selected module's services and endpoints.</summary>
public static class StoaApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        AppSettings.AddDefaults(builder.Configuration, builder.Environment);
        builder.Configuration.CheckSettings(ModuleCatalog.Settings);
        var options = builder.AddStoaFoundation(ModuleCatalog.Names);
        var modules = ModuleCatalog.Select(options.Modules);
        foreach (var module in modules)
        {
            module.AddServices(builder.Services, builder.Configuration);
        }

        Ports.ModulePorts.Connect(builder.Services, builder.Configuration, modules);
        var app = builder.Build();
        app.UseStoaFoundation();
        app.UseWebPage();
        app.MapApiReference();
        foreach (var module in modules)
        {
            module.MapEndpoints(app);
        }

        app.MapDevEndpoints(options);

        // Extra endpoints registered in DI (tests, plugins) are mapped last.
        foreach (var contributor in app.Services.GetServices<IEndpointContributor>())
        {
            contributor.Map(app);
        }

        return app;
    }
}

/// <summary>Maps endpoints that are not part of a module (used by tests to add probes such as a slow request).</summary>
public interface IEndpointContributor
{
    void Map(IEndpointRouteBuilder endpoints);
}
