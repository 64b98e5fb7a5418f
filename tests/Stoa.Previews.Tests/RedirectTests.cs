using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

/// <summary>Redirects are followed hop by hop, each hop checked like the first URL.</summary>
public sealed class RedirectTests : IDisposable
{
    private readonly FixtureServer _server;
    private readonly PreviewService _service;

    public RedirectTests(FixtureServer server)
    {
        _server = server;
        _service = server.CreateService(resolver: new FakeResolver().Map("evil.test", "10.0.0.5"));
    }

    public void Dispose() => _service.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<PreviewResult> RedirectTo(string location, int status = 302) =>
        _service.GetAsync(_server.Url($"/redirect?status={status}&to={Uri.EscapeDataString(location)}"), Ct);

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Relative_redirect_is_followed(int status)
    {
        var card = (await RedirectTo("/pages/og-only", status)).Card;
        card.Url.ShouldBe(_server.BaseUrl + "/pages/og-only");
        card.Title.ShouldBe("Open Graph Title");
    }

    [Fact]
    public async Task Path_relative_redirect_is_followed()
    {
        var card = (await RedirectTo("pages/twitter-only")).Card;
        card.Title.ShouldBe("Twitter Card Title");
    }

    [Fact]
    public async Task Absolute_redirect_is_followed()
    {
        var card = (await RedirectTo(_server.BaseUrl + "/pages/og-only")).Card;
        card.Title.ShouldBe("Open Graph Title");
    }

    [Fact]
    public async Task Five_redirects_are_followed()
    {
        var card = (await _service.GetAsync(_server.Url("/chain/5"), Ct)).Card;
        card.Title.ShouldBe("Open Graph Title");
    }

    [Fact]
    public async Task Six_redirects_are_too_many()
    {
        await _service.GetAsync(_server.Url("/chain/6"), Ct).ShouldFailWith(PreviewErrors.UpstreamTooManyRedirects);
    }

    [Fact]
    public async Task Max_redirects_is_configurable()
    {
        using var service = _server.CreateService(o => o.MaxRedirects = 1);
        await service.GetAsync(_server.Url("/chain/2"), Ct).ShouldFailWith(PreviewErrors.UpstreamTooManyRedirects);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://127.0.0.1:6379/")]
    [InlineData("http://localhost/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://user:secret@127.0.0.1/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:6379/_INFO")]
    public async Task Redirect_to_a_forbidden_target_is_not_allowed(string location)
    {
        await RedirectTo(location).ShouldFailWith(PreviewErrors.UrlNotAllowed);
    }

    [Fact]
    public async Task Redirect_to_a_name_of_a_private_address_gets_the_answer_of_a_name_that_does_not_resolve()
    {
        await RedirectTo("http://evil.test/").ShouldFailWith(PreviewErrors.UpstreamUnreachable);
    }

    [Fact]
    public async Task Redirect_to_loopback_on_a_disallowed_port_is_not_allowed_even_with_loopback_allowed()
    {
        await RedirectTo($"http://127.0.0.1:{_server.Port + 1}/").ShouldFailWith(PreviewErrors.UrlNotAllowed);
    }

    [Fact]
    public async Task Redirect_to_a_malformed_host_is_an_invalid_url()
    {
        await RedirectTo("http://1.2.3.4.5/").ShouldFailWith(PreviewErrors.InvalidUrl);
    }

    [Fact]
    public async Task Redirect_without_location_is_an_upstream_status()
    {
        var error = await _service.GetAsync(_server.Url("/redirect?status=302"), Ct).ShouldFail();
        error.Code.ShouldBe(PreviewErrors.UpstreamStatus);
        error.UpstreamStatus.ShouldBe(302);
    }
}
