using Stoa.Mentions;
using Stoa.Testing;

namespace Stoa.Mentions.Tests;

/// <summary>Every engine fails the same ways, each with its own one-line message; none of them is a "false".</summary>
public sealed class HtmlEngineFailureTests(SearchPagesServer server) : IClassFixture<SearchPagesServer>
{
    public static TheoryData<string> Engines => ["duckduckgo", "bing", "url-template"];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Http_403_and_429_are_blocked(string engineName)
    {
        foreach (var page in new[] { "status-403", "status-429" })
        {
            var failure = await FailAsync(engineName, server.BaseUrl, page);

            failure.Failure.ShouldBe(SearchFailure.Blocked);
            failure.Message.ShouldStartWith("blocked by ");
            failure.Message.ShouldContain($"HTTP {page[^3..]}");
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_server_error_or_a_page_that_is_not_html_is_unexpected(string engineName)
    {
        foreach (var page in new[] { "status-503", "json" })
        {
            var failure = await FailAsync(engineName, server.BaseUrl, page);

            failure.Failure.ShouldBe(SearchFailure.UnexpectedPage);
            failure.Message.ShouldStartWith("unexpected result page from ");
        }
    }

    [Theory]
    [InlineData("duckduckgo", "DuckDuckGo")]
    [InlineData("bing", "Bing")]
    public async Task An_html_page_without_a_results_list_is_unexpected_even_if_it_links_to_the_domain(string engineName, string displayName)
    {
        var failure = await FailAsync(engineName, server.BaseUrl, "maintenance");

        failure.Failure.ShouldBe(SearchFailure.UnexpectedPage);
        failure.Message.ShouldStartWith($"unexpected result page from {displayName}");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_server_that_stalls_before_or_after_the_headers_times_out(string engineName)
    {
        foreach (var page in new[] { "stall-headers", "stall-body" })
        {
            var failure = await FailAsync(engineName, server.BaseUrl, page, TimeSpan.FromMilliseconds(300));

            failure.Failure.ShouldBe(SearchFailure.TimedOut);
            failure.Message.ShouldStartWith("timed out after 300 ms");
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_refused_connection_is_no_network(string engineName)
    {
        var closed = $"http://127.0.0.1:{TestPorts.GetFree()}";

        var failure = await FailAsync(engineName, closed, "ddg-results");

        failure.Failure.ShouldBe(SearchFailure.NoNetwork);
        failure.Message.ShouldStartWith($"no network: cannot connect to {new Uri(closed).Authority}");
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_a_timeout()
    {
        using var http = SearchHttp.Create();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var engine = new DuckDuckGoHtmlEngine(http, server.EngineBase("stall-headers"), TimeSpan.FromMinutes(5));

        await Should.ThrowAsync<OperationCanceledException>(() => engine.SearchAsync("chat api", cancellation.Token));
    }

    private static async Task<SearchEngineException> FailAsync(string engineName, string baseUrl, string page, TimeSpan? timeout = null)
    {
        using var http = SearchHttp.Create();
        ISearchEngine engine = engineName switch
        {
            "duckduckgo" => new DuckDuckGoHtmlEngine(http, new Uri($"{baseUrl}/{page}/"), timeout),
            "bing" => new BingHtmlEngine(http, new Uri($"{baseUrl}/{page}/"), timeout),
            _ => new UrlTemplateEngine(http, $"{baseUrl}/{page}/search?q={{query}}", "article.result h3 a", timeout),
        };
        return await Should.ThrowAsync<SearchEngineException>(() => engine.SearchAsync("chat api", TestContext.Current.CancellationToken));
    }
}
