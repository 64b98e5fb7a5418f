using System.Reflection;
using Stoa.Comments;
using Stoa.Docs;
using Stoa.Follows;
using Stoa.Foundation.Auth;
using Stoa.Previews;
using Stoa.Quotes;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// Each module's page lists every error code the module declares (a cheap guard against drift, as OperationsDocTests
/// is for settings): a code added to an errors file fails here until its page names it.
/// </summary>
public sealed class ModuleDocsTests
{
    // The modules' errors files are internal: found by name, as ServerSettings finds options classes.
    public static TheoryData<string, Type> Pages() => new()
    {
        { "comments.md", Internal(typeof(CommentsModule), "Stoa.Comments.Core.CommentErrors") },
        { "quotes.md", Internal(typeof(QuotesModule), "Stoa.Quotes.Core.QuoteErrors") },
        { "previews.md", Internal(typeof(PreviewsModule), "Stoa.Previews.Core.PreviewErrors") },
        { "follows.md", Internal(typeof(FollowsModule), "Stoa.Follows.Core.FollowErrors") },
        { "docs-protocol.md", Internal(typeof(DocsModule), "Stoa.Docs.Core.DocErrors") },
        { "auth.md", typeof(AuthErrors) },
    };

    private static Type Internal(Type module, string name) => module.Assembly.GetType(name, throwOnError: true)!;

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_error_code_of_the_module_is_on_its_page(string page, Type errors)
    {
        var text = RepoFiles.Read("docs", page);
        var codes = errors.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        codes.ShouldNotBeEmpty();
        codes.Where(code => !text.Contains($"`{code}`", StringComparison.Ordinal)).ShouldBeEmpty($"docs/{page} should list these codes");
    }

    [Theory]
    [InlineData("comments.md")]
    [InlineData("quotes.md")]
    [InlineData("previews.md")]
    [InlineData("follows.md")]
    [InlineData("auth.md")]
    [InlineData("ids.md")]
    public void The_readme_links_each_page(string page) =>
        RepoFiles.Read("README.md").ShouldContain($"(docs/{page})");
}
