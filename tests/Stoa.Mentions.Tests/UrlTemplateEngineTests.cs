using Stoa.Mentions;

namespace Stoa.Mentions.Tests;

public sealed class UrlTemplateEngineTests(SearchPagesServer server) : IClassFixture<SearchPagesServer>
{
    [Theory]
    [InlineData("article.result h3 a")] // the links themselves
    [InlineData("article.result h3")] // elements holding the links
    public async Task Reads_a_searxng_page_with_the_configured_selector(string selector)
    {
        using var http = SearchHttp.Create();
        var engine = new UrlTemplateEngine(http, $"{server.BaseUrl}/searxng-results/search?q={{query}}&categories=general", selector);

        var results = await engine.SearchAsync("chat api/ü", TestContext.Current.CancellationToken);

        results.Select(r => r.Url.AbsoluteUri).ShouldBe(["https://sendbird.com/products/chat-messaging", "https://getstream.io/chat/", "https://ably.com/chat"]);
        results[0].Title.ShouldBe("Chat API and Messaging SDK | Sendbird");
        server.LastRequest("searxng-results").ShouldNotBeNull().Query.ShouldBe("chat api/ü");
    }

    [Fact]
    public async Task Finds_a_link_whose_host_is_written_in_upper_case()
    {
        using var http = SearchHttp.Create();
        var finder = new MentionFinder(new UrlTemplateEngine(http, $"{server.BaseUrl}/searxng-results/search?q={{query}}", "article.result h3 a"));

        var mention = await finder.FindAsync("chat api", "getstream.io", TestContext.Current.CancellationToken);

        mention.Found.ShouldBeTrue();
        mention.Match!.Url.Host.ShouldBe("getstream.io");
    }

    [Fact]
    public async Task A_selector_that_matches_nothing_is_no_results()
    {
        using var http = SearchHttp.Create();
        var engine = new UrlTemplateEngine(http, $"{server.BaseUrl}/searxng-results/search?q={{query}}", "li.b_algo h2 a");

        (await engine.SearchAsync("chat api", TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("https://searx.example/search?q=chat", "a")]
    [InlineData("/search?q={query}", "a")]
    [InlineData("ftp://searx.example/?q={query}", "a")]
    [InlineData("https://searx.example/search?q={query}", "a[")]
    [InlineData("https://searx.example/search?q={query}", " ")]
    public void A_template_without_query_or_a_broken_selector_is_refused(string template, string selector)
    {
        using var http = SearchHttp.Create();

        Should.Throw<ArgumentException>(() => new UrlTemplateEngine(http, template, selector));
    }
}
