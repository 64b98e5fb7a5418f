using System.Text;
using Stoa.Previews.Core;
using Stoa.Previews.Extraction;

namespace Stoa.Previews.Tests;

/// <summary>Deeply nested markup is cut before the (quadratic) parser sees it; ordinary pages are left alone.</summary>
public sealed class NestingGuardTests
{
    private const string Head = "<html><head><title>t</title></head><body>";

    private readonly FixtureServer _server;

    public NestingGuardTests(FixtureServer server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("<div>")]
    [InlineData("<div/>")]
    [InlineData("<b>")]
    [InlineData("<div\"x>")]
    [InlineData("<div class='a'><object></div>")]
    [InlineData("<div ='<'>")]
    [InlineData("<svg><div/></svg>")]
    public void Hostile_nesting_is_cut(string unit)
    {
        var html = Head + Repeat(unit, 5000);
        var cut = NestingGuard.Truncate(html);
        cut.Length.ShouldBeLessThan(html.Length);
        cut.ShouldStartWith(Head);
    }

    [Theory]
    [InlineData("<div>")]
    [InlineData("<div/>")]
    [InlineData("<b>")]
    [InlineData("<a>")]
    [InlineData("<i><b><u>")]
    [InlineData("<div class='a'><object></div>")]
    [InlineData("<svg><div/></svg>")]
    [InlineData("<table><div></table>")]
    [InlineData("<span></span>")]
    [InlineData("<font><p>")]
    public void Two_mebibytes_of_hostile_markup_are_extracted(string unit)
    {
        var html = Head + Repeat(unit, (2 * 1024 * 1024) / unit.Length);
        var page = PageExtractor.Extract(html, new Uri("http://example.com/"));
        page.Candidates.Items.Single(c => c.Source == Sources.HtmlTitle).Value.ShouldBe("t");
    }

    [Fact]
    public void Start_tags_beyond_the_cap_are_cut_whatever_their_nesting()
    {
        var html = Head + Repeat("<span></span>", NestingGuard.MaxStartTags + 10);
        NestingGuard.Truncate(html).Length.ShouldBeLessThan(html.Length);
    }

    [Theory]
    [InlineData("<p>para")]
    [InlineData("<li>item")]
    [InlineData("<div><span>text</span></div>")]
    [InlineData("<img src=a.jpg><br><hr/>")]
    [InlineData("<svg><path d='M0 0'/><circle/></svg>")]
    [InlineData("<script>if (a<b) { x = '<div>'; }</script>")]
    [InlineData("<!-- <div><div><div> -->")]
    [InlineData("<table><tr><td>1<td>2</table>")]
    [InlineData("<div title=\"a > b\">x</div>")]
    public void Ordinary_markup_is_kept(string unit)
    {
        var html = Head + Repeat(unit, 2000) + "</body></html>";
        NestingGuard.Truncate(html).ShouldBe(html);
    }

    [Fact]
    public async Task Deeply_nested_page_still_yields_a_card()
    {
        using var service = _server.CreateService();
        var card = (await service.GetAsync(_server.Url("/nested"), TestContext.Current.CancellationToken)).Card;
        card.Title.ShouldBe("Nested");
        card.Description.ShouldBe("A page nested 300,000 levels deep.");
    }

    private static string Repeat(string unit, int count) => new StringBuilder(unit.Length * count).Insert(0, unit, count).ToString();
}
