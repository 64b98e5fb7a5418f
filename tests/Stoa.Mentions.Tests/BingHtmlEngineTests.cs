using Stoa.Mentions;

namespace Stoa.Mentions.Tests;

public sealed class BingHtmlEngineTests(SearchPagesServer server) : IClassFixture<SearchPagesServer>
{
    [Fact]
    public async Task Reads_b_algo_results_with_ck_a_wrappers_decoded_and_the_ad_left_out()
    {
        using var http = SearchHttp.Create();
        var engine = new BingHtmlEngine(http, server.EngineBase("bing-results"));

        var results = await engine.SearchAsync("chat api", TestContext.Current.CancellationToken);

        results.Select(r => r.Url.AbsoluteUri).ShouldBe(
        [
            "https://sendbird.com/products/chat-messaging",
            "https://getstream.io/chat/",
            "https://www.pubnub.com/solutions/chat/",
            "https://talkjs.com/",
        ]);
        results[1].Title.ShouldBe("Chat API & SDK | Build In-App Chat Messaging - Stream");
        var request = server.LastRequest("bing-results").ShouldNotBeNull();
        request.PathAndQuery.ShouldBe("/bing-results/search?q=chat%20api");
        request.UserAgent.ShouldStartWith("stoa-mentions/");
        request.AcceptLanguage.ShouldBe("en");
    }

    [Theory]
    [InlineData("bing-results", true)]
    [InlineData("bing-snippet-only", false)]
    [InlineData("bing-no-results", false)]
    public async Task Finds_the_domain_only_among_result_links(string page, bool expected)
    {
        using var http = SearchHttp.Create();
        var finder = new MentionFinder(new BingHtmlEngine(http, server.EngineBase(page)));

        var mention = await finder.FindAsync("chat api", "getstream.io", TestContext.Current.CancellationToken);

        mention.Found.ShouldBe(expected);
    }

    [Theory]
    [InlineData("bing-captcha-redirect")] // redirected to /turing/captcha/challenge
    [InlineData("bing-captcha")] // the challenge served in place of the results
    public async Task A_captcha_is_reported_as_blocked(string page)
    {
        using var http = SearchHttp.Create();
        var engine = new BingHtmlEngine(http, server.EngineBase(page));

        var failure = await Should.ThrowAsync<SearchEngineException>(() => engine.SearchAsync("chat api", TestContext.Current.CancellationToken));

        failure.Failure.ShouldBe(SearchFailure.Blocked);
        failure.Message.ShouldStartWith("blocked by Bing: ");
    }
}
