using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Stoa.Testing;

namespace Stoa.Server.Tests.Cli;

/// <summary><c>stoa previews inspect</c>, run as the built executable: a saved page, a fetched one, the JSON card, errors.</summary>
public sealed class PreviewsInspectCommandTests : IAsyncLifetime
{
    private const string Page = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
        <title>Inspect me | Example Site</title>
        <meta property="og:title" content="Inspect me | Example Site">
        <meta property="og:site_name" content="Example Site">
        <meta name="twitter:creator" content="@handle">
        <meta property="og:image" content="/cover.jpg">
        </head><body><article><p class="byline">By Jane Doe</p><time datetime="2024-05-17T10:00:00Z">May 17</time></article></body></html>
        """;

    private static readonly Dictionary<string, string> s_noEnvironment = [];
    private readonly int _port = TestPorts.GetFree();
    private string _file = "";
    private WebApplication? _server;

    public async ValueTask InitializeAsync()
    {
        _file = Path.Combine(Path.GetTempPath(), $"stoa-inspect-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(_file, Page);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
        _server = builder.Build();
        _server.MapGet("/page", (HttpContext context) =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(Page);
        });
        await _server.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        File.Delete(_file);
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_saved_page_prints_each_field_with_its_winning_and_losing_sources()
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "previews", "inspect", "https://example.com/posts/1", "--file", _file, "--offline");

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldContain("decoded as utf-8 (meta)");
        run.Stdout.ShouldContain("read past </head> for: description, author, published");
        run.Stdout.ShouldContain("title: Inspect me");
        run.Stdout.ShouldMatch(@"\* og:title\s+Inspect me \| Example Site\s+chosen");
        run.Stdout.ShouldContain("author: Jane Doe");
        run.Stdout.ShouldMatch(@"- twitter:creator\s+@handle\s+lower priority: a handle, and a name is preferred");
        run.Stdout.ShouldContain("images: https://example.com/cover.jpg");
    }

    [Fact]
    public async Task Json_prints_the_card_as_the_api_returns_it()
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "previews", "inspect", "https://example.com/posts/1", "--file", _file, "--offline", "--json");

        run.ExitCode.ShouldBe(0, run.Stderr);
        using var card = JsonDocument.Parse(run.Stdout);
        card.RootElement.GetProperty("title").GetString().ShouldBe("Inspect me");
        card.RootElement.GetProperty("author").GetString().ShouldBe("Jane Doe");
        card.RootElement.GetProperty("publishedAt").GetString().ShouldBe("2024-05-17T10:00:00+00:00");
        card.RootElement.GetProperty("modifiedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_url_is_fetched_with_the_servers_previews_settings()
    {
        var url = $"http://127.0.0.1:{_port}/page";

        var refused = await StoaProcess.RunAsync(s_noEnvironment, "previews", "inspect", url, "--offline");
        refused.ExitCode.ShouldBe(2);
        refused.Stderr.ShouldStartWith("stoa previews inspect: url_not_allowed:");

        var allowed = await StoaProcess.RunAsync(s_noEnvironment, "previews", "inspect", url, "--offline",
            "--Stoa:Previews:AllowedNetworks:0=127.0.0.1/32", $"--Stoa:Previews:AllowedPorts:0={_port}");
        allowed.ExitCode.ShouldBe(0, allowed.Stderr);
        allowed.Stdout.ShouldStartWith(url);
        allowed.Stdout.ShouldContain("decoded as utf-8 (header)");
        allowed.Stdout.ShouldContain("title: Inspect me");
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/")]
    public async Task A_url_that_is_not_http_exits_2(string url)
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "previews", "inspect", url, "--file", _file);

        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("is not an absolute http or https URL");
    }

    [Fact]
    public async Task A_missing_file_exits_2()
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "previews", "inspect", "https://example.com/", "--file", "/no/such/file.html");

        run.ExitCode.ShouldBe(2);
        run.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_invalid_previews_setting_exits_2_naming_it()
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "previews", "inspect", "https://example.com/", "--file", _file, "--Stoa:Previews:MaxRedirects=99");

        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("Stoa:Previews:MaxRedirects");
    }

    [Fact]
    public async Task A_misspelt_setting_exits_2_naming_the_nearest_one_instead_of_being_ignored()
    {
        var run = await StoaProcess.RunAsync(s_noEnvironment, "previews", "inspect", $"http://127.0.0.1:{_port}/page", "--offline",
            "--Stoa:Previews:AllowedNetwork:0=127.0.0.1/32", $"--Stoa:Previews:AllowedPorts:0={_port}");

        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("did you mean Stoa:Previews:AllowedNetworks");
        run.Stderr.ShouldNotContain("url_not_allowed");
        run.Stdout.ShouldBeEmpty();
    }
}
