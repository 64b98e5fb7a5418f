using System.Reflection;
using Stoa.Comments;
using Stoa.Docs;
using Stoa.Follows;
using Stoa.Mentions;
using Stoa.Previews;
using Stoa.Quotes;

namespace Stoa.Architecture.Tests;

/// <summary>
/// A feature module as the rules see it: its assembly, its one public entry and the ports another assembly needs.
/// </summary>
internal sealed record Module(string Name, Type Entry, IReadOnlyList<Type> Ports)
{
    public Assembly Assembly => Entry.Assembly;

    public string Namespace => Assembly.GetName().Name!;

    /// <summary>
    /// Every module. Beyond its entry, a module shows only the ports that src/Stoa.Server/Ports plugs together and
    /// the records those ports take or return: keep this list that short.
    /// </summary>
    public static IReadOnlyList<Module> All { get; } =
    [
        // Comments unfurls links through a previewer that Stoa.Server plugs in (Ports/CommentsLinkPreviewer.cs).
        new(CommentsModule.Name, typeof(CommentsModule), [typeof(Comments.Core.ILinkPreviewer), typeof(Comments.Core.LinkCardSummary)]),
        new(DocsModule.Name, typeof(DocsModule), []),
        // Previews offers its cards to that adapter.
        new(PreviewsModule.Name, typeof(PreviewsModule), [typeof(Previews.Core.ILinkCards), typeof(Previews.Core.LinkCardPreview)]),
        new(QuotesModule.Name, typeof(QuotesModule), []),
        new(FollowsModule.Name, typeof(FollowsModule), []),
        // Not served over HTTP: a command of the stoa executable, which adds it and knows nothing else of it.
        new("mentions", typeof(MentionsCommand), []),
    ];

    public static TheoryData<string> Names => [.. All.Select(m => m.Name)];

    public static Module Named(string name) => All.Single(m => m.Name == name);

    public static bool IsModuleAssembly(AssemblyName name) => All.Any(m => m.Namespace == name.Name);

    public override string ToString() => Name;
}
