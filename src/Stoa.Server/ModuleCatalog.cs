using Stoa.Comments;
using Stoa.Docs;
using Stoa.Follows;
using Stoa.Foundation.Hosting;
using Stoa.Previews;
using Stoa.Quotes;

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
        new(PreviewsModule.Name, (s, c) => s.AddPreviews(c), e => e.MapPreviews()),
        new(DocsModule.Name, (s, c) => s.AddDocs(c), e => e.MapDocs()),
        new(CommentsModule.Name, (s, c) => s.AddComments(c), e => e.MapComments()),
        new(QuotesModule.Name, (s, c) => s.AddQuotes(c), e => e.MapQuotes()),
        new(FollowsModule.Name, (s, c) => s.AddFollows(c), e => e.MapFollows()),
    ];

    public static IReadOnlyCollection<string> Names { get; } = [.. s_all.Select(m => m.Name)];

    public static IReadOnlyList<StoaModule> Select(string? modules)
    {
        var names = StoaOptionsValidator.ModuleNames(modules, Names);
        return [.. s_all.Where(m => names.Contains(m.Name))];
    }
}
