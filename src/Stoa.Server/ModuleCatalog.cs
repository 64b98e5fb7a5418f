using Stoa.Foundation.Hosting;

namespace Stoa.Server;

/// <summary>A module as the composition root sees it: its name, its AddX and its MapX.</summary>
internal sealed record StoaModule(
    string Name,
    Action<IServiceCollection, IConfiguration> AddServices,
    Action<IEndpointRouteBuilder> MapEndpoints);

/// <summary>Every module this executable can run; <c>Stoa:Modules</c> picks a subset (split deployments).</summary>
internal static class ModuleCatalog
{
    private static readonly StoaModule[] s_all =
    [
    ];

    public static IReadOnlyCollection<string> Names { get; } = [.. s_all.Select(m => m.Name)];

    public static IReadOnlyList<StoaModule> Select(string? modules)
    {
        var names = StoaOptionsValidator.ModuleNames(modules, Names);
        return [.. s_all.Where(m => names.Contains(m.Name))];
    }
}
