using Stoa.Mentions;

namespace Stoa.Mentions.Tests;

public sealed class MentionFinderTests
{
    [Theory]
    // the domain and its subdomains, whatever the scheme, port, case or trailing dot
    [InlineData("https://getstream.io/chat/", "getstream.io", true)]
    [InlineData("http://getstream.io", "getstream.io", true)]
    [InlineData("https://www.getstream.io/", "getstream.io", true)]
    [InlineData("https://dashboard.eu-west.getstream.io/app/1", "getstream.io", true)]
    [InlineData("https://getstream.io:8443/chat/", "getstream.io", true)]
    [InlineData("https://GETSTREAM.IO/Chat/", "getstream.io", true)]
    [InlineData("https://getstream.io/", "GetStream.IO", true)]
    [InlineData("https://getstream.io./", "getstream.io", true)]
    [InlineData("https://getstream.io/", "getstream.io.", true)]
    // userinfo is not the host: the first goes to evil.com, the second really goes to getstream.io
    [InlineData("https://getstream.io@evil.com/", "getstream.io", false)]
    [InlineData("https://getstream.io:443@evil.com/chat", "getstream.io", false)]
    [InlineData("https://evil.com@getstream.io/", "getstream.io", true)]
    // look-alikes, and the domain anywhere but in the host
    [InlineData("https://notgetstream.io/", "getstream.io", false)]
    [InlineData("https://getstream.io.evil.com/", "getstream.io", false)]
    [InlineData("https://getstream.iox/", "getstream.io", false)]
    [InlineData("https://getstream-io.com/", "getstream.io", false)]
    [InlineData("https://evil.com/getstream.io", "getstream.io", false)]
    [InlineData("https://evil.com/?u=https://getstream.io/", "getstream.io", false)]
    [InlineData("https://evil.com/#getstream.io", "getstream.io", false)]
    [InlineData("https://stream.io/", "getstream.io", false)]
    // a subdomain rule, not a parent-domain one
    [InlineData("https://getstream.io/", "chat.getstream.io", false)]
    // internationalised names compare in their punycode form, in either spelling
    [InlineData("https://bücher.de/", "bücher.de", true)]
    [InlineData("https://BÜCHER.de/", "bücher.de", true)]
    [InlineData("https://shop.xn--bcher-kva.de/", "bücher.de", true)]
    [InlineData("https://bücher.de/", "XN--BCHER-KVA.DE", true)]
    [InlineData("https://bucher.de/", "bücher.de", false)]
    // not web links, or no name at all
    [InlineData("ftp://getstream.io/pub/", "getstream.io", false)]
    [InlineData("https://127.0.0.1/getstream.io", "getstream.io", false)]
    public async Task A_result_counts_only_when_its_link_host_is_the_domain_or_a_subdomain(string url, string domain, bool expected)
    {
        var finder = new MentionFinder(FakeSearchEngine.WithLinks(url));

        var mention = await finder.FindAsync("chat api", domain, TestContext.Current.CancellationToken);

        mention.Found.ShouldBe(expected, $"{url} against {domain}");
        (mention.Match is not null).ShouldBe(expected);
    }

    [Fact]
    public async Task The_domain_in_a_title_does_not_count_but_a_later_link_does_and_is_the_match()
    {
        var engine = new FakeSearchEngine(
            new SearchResult(new Uri("https://www.g2.com/products/stream-chat"), "getstream.io alternatives | https://getstream.io/"),
            new SearchResult(new Uri("https://sendbird.com/"), "Sendbird"),
            new SearchResult(new Uri("https://getstream.io/chat/"), "Chat API | Stream"),
            new SearchResult(new Uri("https://getstream.io/feeds/"), "Feeds | Stream"));

        var mention = await new MentionFinder(engine).FindAsync("chat api", "getstream.io", TestContext.Current.CancellationToken);

        mention.Found.ShouldBeTrue();
        mention.Match!.Url.ShouldBe(new Uri("https://getstream.io/chat/"));
        mention.ResultCount.ShouldBe(4);
        engine.Queries.ShouldBe(["chat api"]);
    }

    [Fact]
    public async Task Only_titles_naming_the_domain_or_no_results_at_all_is_false()
    {
        var onlyTitles = new FakeSearchEngine(new SearchResult(new Uri("https://blog.example.com/review"), "getstream.io review"));
        var cancellation = TestContext.Current.CancellationToken;

        (await new MentionFinder(onlyTitles).FindAsync("stream", "getstream.io", cancellation)).Found.ShouldBeFalse();
        (await new MentionFinder(new FakeSearchEngine()).FindAsync("stream", "getstream.io", cancellation)).ShouldBe(new Mention(false, null, 0));
    }

    [Theory]
    [InlineData("https://getstream.io")]
    [InlineData("getstream.io/chat")]
    [InlineData("getstream.io:443")]
    [InlineData("*.getstream.io")]
    [InlineData("get stream.io")]
    [InlineData("-getstream.io")]
    [InlineData("getstream..io")]
    [InlineData("io")]
    [InlineData("192.168.1.1")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_domain_that_is_not_a_host_name_is_refused_before_searching(string domain)
    {
        var engine = FakeSearchEngine.WithLinks("https://getstream.io/");

        await Should.ThrowAsync<ArgumentException>(() => new MentionFinder(engine).FindAsync("chat api", domain, TestContext.Current.CancellationToken));

        engine.Queries.ShouldBeEmpty();
    }
}
