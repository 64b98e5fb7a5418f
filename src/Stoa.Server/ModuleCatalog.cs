using Stoa.Comments;
using Stoa.Docs;
using Stoa.Follows;
using Stoa.Foundation.Hosting;
using Stoa.Previews;
using Stoa.Quotes;

namespace Stoa.Server;

/// <summary>A module as the composition root sees it: its name, its AddX and its MapX, and its settings section.</summary>
internal sealed record StoaModule(
    string Name,
    Action<IServiceCollection, IConfiguration> AddServices,
    Action<IEndpointRouteBuilder> MapEndpoints,
    SettingsSection? Settings = null);

/// <summary>Every module this executable can run; <c>Stoa:Modules</c> picks a subset (split deployments).</summary>
internal static class ModuleCatalog
{
    private static readonly StoaModule[] s_all =
    [
        new(PreviewsModule.Name, (s, c) => s.AddPreviews(c), e => e.MapPreviews(), PreviewsModule.Settings),
        new(DocsModule.Name, (s, c) => s.AddDocs(c), e => e.MapDocs(), DocsModule.Settings),
        new(CommentsModule.Name, (s, c) => s.AddComments(c), e => e.MapComments(), CommentsModule.Settings),
        new(QuotesModule.Name, (s, c) => s.AddQuotes(c), e => e.MapQuotes(), QuotesModule.Settings),
        new(FollowsModule.Name, (s, c) => s.AddFollows(c), e => e.MapFollows()),
    ];

    public static IReadOnlyCollection<string> Names { get; } = [.. s_all.Select(m => m.Name)];

    /// <summary>
    /// Every setting this executable knows, the sections of modules it does not run included: a split deployment
    /// shares one configuration, and a typo there is a typo whichever node reads it.
    /// </summary>
    public static SettingsSchema Settings { get; } =
        new([.. SettingsSection.Platform, .. s_all.Select(m => m.Settings).OfType<SettingsSection>()]);

    public static IReadOnlyList<StoaModule> Select(string? modules)
    {
        var names = StoaOptionsValidator.ModuleNames(modules, Names);
        return [.. s_all.Where(m => names.Contains(m.Name))];
    }
}
