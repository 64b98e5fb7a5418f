using System.Text.RegularExpressions;
using Stoa.Comments.Core;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// Bodies that try to smuggle executable content. Whatever the trick, the HTML has no tag but the few Markdown
/// produces, no event-handler attribute, and no link other than http, https or mailto.
/// </summary>
public sealed partial class XssTests(SharedApps apps)
{
    public static TheoryData<string> Attacks => new()
    {
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click]( javascript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](&#x6A;&#x61;vascript:alert(1))",
        "[click](java&#09;script:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
        "<data:text/html,<script>alert(1)</script>>",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "[x](https://ok.example/\"onmouseover=\"alert(1))",
        "[x](https://ok.example/ \"title\\\" onmouseover=alert(1)\")",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "`<script>`alert(1)",
        "<style>*{x:expression(alert(1))}</style>",
        "<form action=javascript:alert(1)><button>x</button></form>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "[x](file:///etc/passwd)",
        "<!-- --><script>alert(1)</script>",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Nothing_executable_survives_rendering(string body)
    {
        var (html, _) = CommentBodyRenderer.Render(body);
        AssertSafe(html, body);
    }

    [Fact]
    public void Safe_links_keep_working_with_rel_nofollow_ugc_noopener()
    {
        var (html, urls) = CommentBodyRenderer.Render("See [docs](https://example.com/a?b=1&c=2), <https://example.org> and www.example.net, mail [me](mailto:me@example.com)");
        html.ShouldContain("<a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">docs</a>");
        html.ShouldContain("href=\"https://example.org/\"");
        html.ShouldContain("href=\"http://www.example.net/\"");
        var anchors = AnchorPattern().Matches(html);
        anchors.Count.ShouldBe(4, html);
        anchors.ShouldAllBe(a => a.Value.Contains("rel=\"nofollow ugc noopener\""));
        html.ShouldContain("<a href=\"mailto:me@example.com\" rel=\"nofollow ugc noopener\">me</a>");
        urls.Select(u => u.AbsoluteUri).ShouldBe(["https://example.com/a?b=1&c=2", "https://example.org/", "http://www.example.net/"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Stored_and_served_html_is_the_sanitised_rendering(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();
        foreach (var attack in Attacks.Select(row => row.Data).Take(10))
        {
            var created = await alice.PostCommentAsync(thread, attack);
            created.Body.ShouldBe(attack);
            AssertSafe(created.Html!, attack);
            AssertSafe((await alice.GetCommentAsync(created.Id)).Html!, attack);
        }
    }

    private static void AssertSafe(string html, string body)
    {
        foreach (Match tag in TagPattern().Matches(html))
        {
            var name = tag.Groups["name"].Value.ToLowerInvariant();
            s_allowedTags.ShouldContain(name, $"tag <{name}> from {body} -> {html}");
            var attributes = tag.Groups["attrs"].Value;
            foreach (Match attribute in AttributePattern().Matches(attributes))
            {
                var attributeName = attribute.Groups["name"].Value.ToLowerInvariant();
                s_allowedAttributes.ShouldContain(attributeName, $"attribute {attributeName} from {body} -> {html}");
                if (attributeName == "href")
                {
                    var href = System.Net.WebUtility.HtmlDecode(attribute.Groups["value"].Value);
                    (href.StartsWith("http://", StringComparison.Ordinal) || href.StartsWith("https://", StringComparison.Ordinal)
                        || href.StartsWith("mailto:", StringComparison.Ordinal)).ShouldBeTrue($"href {href} from {body} -> {html}");
                    attribute.Groups["value"].Value.ShouldNotContain("\"");
                }
            }
        }

        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("href=\"javascript", Case.Insensitive);
    }

    private static readonly string[] s_allowedTags =
        ["p", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br", "del"];

    private static readonly string[] s_allowedAttributes = ["href", "rel", "title", "start", "class"];

    [GeneratedRegex("<a [^>]*>")]
    private static partial Regex AnchorPattern();

    [GeneratedRegex(@"<\s*/?\s*(?<name>[a-zA-Z][a-zA-Z0-9]*)(?<attrs>[^>]*)>")]
    private static partial Regex TagPattern();

    [GeneratedRegex("(?<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)\\s*=\\s*\"(?<value>[^\"]*)\"")]
    private static partial Regex AttributePattern();
}
