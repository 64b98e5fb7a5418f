using Stoa.Mentions;
using Stoa.Server.Tests;
using Stoa.Testing;

namespace Stoa.Mentions.Tests;

/// <summary>The built <c>stoa</c> executable, as a script would run it: stdout is exactly true or false, the exit code says the same.</summary>
public sealed class MentionsCommandTests(SearchPagesServer server) : IClassFixture<SearchPagesServer>
{
    private static readonly Dictionary<string, string> s_noEnvironment = [];

    [Theory]
    [InlineData("duckduckgo", "ddg-results")]
    [InlineData("bing", "bing-results")]
    public async Task A_result_linking_to_the_domain_prints_true_and_exits_0(string engine, string page)
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "mentions", "--query", "chat api", "--domain", "getstream.io", "--engine", engine, "--base-url", server.EngineBase(page).AbsoluteUri);

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldBe("true" + Environment.NewLine);
        run.Stderr.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("duckduckgo", "ddg-snippet-only")]
    [InlineData("bing", "bing-snippet-only")]
    public async Task The_domain_only_in_snippets_prints_false_and_exits_1(string engine, string page)
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "mentions", "--query", "stream chat alternatives", "--domain", "getstream.io", "--engine", engine, "--base-url", server.EngineBase(page).AbsoluteUri);

        run.ExitCode.ShouldBe(1, run.Stderr);
        run.Stdout.ShouldBe("false" + Environment.NewLine);
    }

    [Fact]
    public async Task The_base_url_can_come_from_the_environment_and_verbose_names_the_match_on_stderr()
    {
        var environment = new Dictionary<string, string> { [MentionsCommand.BaseUrlVariable] = server.EngineBase("ddg-results").AbsoluteUri };

        var run = await StoaProcess.RunAsync(environment, "mentions", "--query", "chat api", "--domain", "GetStream.io", "--verbose");

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldBe("true" + Environment.NewLine);
        run.Stderr.ShouldContain("matched: https://getstream.io/chat/");
    }

    [Fact]
    public async Task The_url_template_engine_reads_a_searxng_page()
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "mentions", "--query", "chat api", "--domain", "ably.com",
            "--engine", "url-template", "--url-template", $"{server.BaseUrl}/searxng-results/search?q={{query}}", "--selector", "article.result h3 a");

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldBe("true" + Environment.NewLine);
    }

    [Fact]
    public async Task A_refused_connection_exits_2_with_no_network()
    {
        var closed = $"http://127.0.0.1:{TestPorts.GetFree()}/";

        var run = await StoaProcess.RunAsync(s_noEnvironment, "mentions", "--query", "chat api", "--domain", "getstream.io", "--base-url", closed);

        run.ExitCode.ShouldBe(2);
        run.Stdout.ShouldBeEmpty();
        run.Stderr.ShouldStartWith("no network: ");
    }

    [Fact]
    public async Task Http_429_exits_2_as_blocked()
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "mentions", "--query", "chat api", "--domain", "getstream.io", "--engine", "bing", "--base-url", server.EngineBase("status-429").AbsoluteUri);

        run.ExitCode.ShouldBe(2);
        run.Stdout.ShouldBeEmpty();
        run.Stderr.Trim().ShouldBe("blocked by Bing: HTTP 429 Too Many Requests");
    }

    [Fact]
    public async Task A_stalled_server_exits_2_after_the_configured_timeout()
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "mentions", "--query", "chat api", "--domain", "getstream.io", "--timeout", "1s", "--base-url", server.EngineBase("stall-headers").AbsoluteUri);

        run.ExitCode.ShouldBe(2);
        run.Stdout.ShouldBeEmpty();
        run.Stderr.ShouldStartWith("timed out after 1 s");
    }

    [Theory]
    [InlineData("--domain", "getstream.io")] // no --query
    [InlineData("--query", "chat api")] // no --domain
    [InlineData("--query", "chat api", "--domain", "https://getstream.io/")]
    [InlineData("--query", "chat api", "--domain", "getstream.io", "--engine", "google")]
    [InlineData("--query", "chat api", "--domain", "getstream.io", "--timeout", "soon")]
    [InlineData("--query", "chat api", "--domain", "getstream.io", "--frobnicate")]
    [InlineData("--query", "chat api", "--domain", "getstream.io", "--selector", "a")]
    [InlineData("--query", "chat api", "--domain", "getstream.io", "--engine", "url-template", "--url-template", "https://searx.example/search")]
    [InlineData("--query", "chat api", "--domain", "getstream.io", "--base-url", "not a url")]
    public async Task Usage_errors_exit_2_not_1_which_means_false(params string[] args)
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, ["mentions", .. args]);

        run.ExitCode.ShouldBe(2, run.Stderr);
        run.Stdout.ShouldBeEmpty();
        run.Stderr.ShouldStartWith("stoa mentions: ");
    }
}
