using Stoa.Mentions;

namespace Stoa.Mentions.Tests;

public sealed class DuckDuckGoHtmlEngineTests(SearchPagesServer server) : IClassFixture<SearchPagesServer>
{
    [Fact]
    public async Task Reads_organic_results_in_order_with_redirects_decoded_and_the_ad_left_out()
    {
        using var http = SearchHttp.Create();
        var engine = new DuckDuckGoHtmlEngine(http, server.EngineBase("ddg-results"));

        var results = await engine.SearchAsync("chat api", TestContext.Current.CancellationToken);

        results.Select(r => r.Url.AbsoluteUri).ShouldBe(
        [
            "https://sendbird.com/products/chat-messaging",
            "https://getstream.io/chat/",
            "https://www.pubnub.com/solutions/chat/",
            "https://www.cometchat.com/chat-api",
            "https://ably.com/chat",
        ]);
        results[1].Title.ShouldBe("Chat API & SDK | Build In-App Chat Messaging - Stream");
    }

    [Fact]
    public async Task Asks_html_duckduckgo_with_the_query_in_q_an_honest_user_agent_and_english()
    {
        using var http = SearchHttp.Create();
        var engine = new DuckDuckGoHtmlEngine(http, server.EngineBase("ddg-results"));

        await engine.SearchAsync("chat api & more", TestContext.Current.CancellationToken);

        var request = server.LastRequest("ddg-results").ShouldNotBeNull();
        request.PathAndQuery.ShouldBe("/ddg-results/html/?q=chat%20api%20%26%20more");
        request.Query.ShouldBe("chat api & more");
        request.UserAgent.ShouldStartWith("stoa-mentions/");
        request.AcceptLanguage.ShouldBe("en");
    }

    [Theory]
    [InlineData("ddg-results", true)]
    [InlineData("ddg-snippet-only", false)]
    [InlineData("ddg-no-results", false)]
    public async Task Finds_the_domain_only_among_result_links(string page, bool expected)
    {
        using var http = SearchHttp.Create();
        var finder = new MentionFinder(new DuckDuckGoHtmlEngine(http, server.EngineBase(page)));

        var mention = await finder.FindAsync("chat api", "getstream.io", TestContext.Current.CancellationToken);

        mention.Found.ShouldBe(expected);
    }

    [Fact]
    public async Task The_snippet_only_page_has_results_just_none_on_the_domain()
    {
        using var http = SearchHttp.Create();
        var engine = new DuckDuckGoHtmlEngine(http, server.EngineBase("ddg-snippet-only"));

        var results = await engine.SearchAsync("stream chat alternatives", TestContext.Current.CancellationToken);

        results.Select(r => r.Url.Host).ShouldBe(["www.g2.com", "notgetstream.io", "getstream.io.example-mirror.net", "stackoverflow.com"]);
    }

    [Fact]
    public async Task The_anomaly_page_served_with_202_is_reported_as_blocked()
    {
        using var http = SearchHttp.Create();
        var engine = new DuckDuckGoHtmlEngine(http, server.EngineBase("ddg-anomaly"));

        var failure = await Should.ThrowAsync<SearchEngineException>(() => engine.SearchAsync("chat api", TestContext.Current.CancellationToken));

        failure.Failure.ShouldBe(SearchFailure.Blocked);
        failure.Message.ShouldStartWith("blocked by DuckDuckGo: ");
    }
}
