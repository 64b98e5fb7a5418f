using System.IO.Compression;
using System.Text;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

/// <summary>Deadlines, size caps, compression, upstream failures and cache lifetimes. No wall-clock assertions.</summary>
public sealed class FetchTests : IDisposable
{
    private readonly FixtureServer _server;
    private readonly PreviewService _service;

    public FetchTests(FixtureServer server)
    {
        _server = server;
        _service = server.CreateService();
    }

    public void Dispose() => _service.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Slow_headers_time_out()
    {
        using var service = _server.CreateService(o => o.Timeout = TimeSpan.FromMilliseconds(300));
        await service.GetAsync(_server.Url("/slow"), Ct).ShouldFailWith(PreviewErrors.UpstreamTimeout);
    }

    [Fact]
    public async Task Slow_body_times_out()
    {
        using var service = _server.CreateService(o => o.Timeout = TimeSpan.FromMilliseconds(300));
        await service.GetAsync(_server.Url("/slow-body"), Ct).ShouldFailWith(PreviewErrors.UpstreamTimeout);
    }

    [Fact]
    public async Task Caller_cancellation_is_a_cancellation_not_a_timeout()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        var exception = await Record.ExceptionAsync(() => _service.GetAsync(_server.Url("/slow"), cts.Token));
        exception.ShouldBeAssignableTo<OperationCanceledException>();
    }

    [Fact]
    public async Task Huge_page_is_read_up_to_the_cap_and_still_previewed()
    {
        using var service = _server.CreateService(o => o.MaxBodyBytes = 64 * 1024);
        var card = (await service.GetAsync(_server.Url("/huge"), Ct)).Card;
        card.Title.ShouldBe("Huge page");
        card.Description.ShouldBe("big");
    }

    [Fact]
    public async Task Page_whose_head_has_every_field_is_not_read_past_it()
    {
        var inspection = await _service.InspectAsync(_server.Url("/huge-complete-head"), null, null, offline: true, Ct);
        inspection.Card.Title.ShouldBe("Huge but complete");
        inspection.Card.Images.Single().Url.ShouldBe(_server.BaseUrl + "/og.png");
        inspection.Facts.ReadPastHead.ShouldBeFalse();
        inspection.Facts.Bytes.ShouldBeLessThan(4096);
    }

    [Fact]
    public async Task Page_whose_head_lacks_fields_is_read_past_it_within_the_cap()
    {
        // The head names an image but no author, date or publisher: the body is read, up to the 2 MiB cap.
        var inspection = await _service.InspectAsync(_server.Url("/huge-with-og"), null, null, offline: true, Ct);
        inspection.Card.Title.ShouldBe("Huge OG");
        inspection.Card.Images.Single().Url.ShouldBe(_server.BaseUrl + "/og.png");
        inspection.Facts.ReadPastHead.ShouldBeTrue();
        inspection.Facts.MissingAfterHead.ShouldBe(["description", "author", "published", "publisher"]);
        inspection.Facts.Bytes.ShouldBe(2 * 1024 * 1024);
    }

    [Fact]
    public async Task Body_reader_keeps_at_most_the_cap()
    {
        var bytes = new byte[6 * 1024 * 1024];
        bytes.AsSpan().Fill((byte)'a');
        var body = await BodyReader.ReadAsync(new MemoryStream(bytes), [], 2 * 1024 * 1024, 100, _ => true, Ct);
        body.Bytes.Length.ShouldBe(2 * 1024 * 1024);
        body.Truncated.ShouldBeTrue();
    }

    [Fact]
    public async Task Body_reader_stops_at_a_head_the_gate_finds_sufficient()
    {
        const string head = "<html><head><meta property=\"og:image\" content=\"/x.png\">";
        var html = head + "</HEAD><body>" + new string('x', 1024 * 1024);
        var seen = string.Empty;
        var body = await BodyReader.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes(html)), [], 2 * 1024 * 1024, 100, bytes =>
        {
            seen = Encoding.ASCII.GetString(bytes);
            return true;
        }, Ct);
        seen.ShouldBe(head);
        body.Bytes.Length.ShouldBe(head.Length);
        body.Truncated.ShouldBeTrue();
    }

    [Fact]
    public async Task Body_reader_reads_on_when_the_gate_wants_the_body()
    {
        var html = "<html><head><title>t</title></head><body>" + new string('x', 1024 * 1024);
        var calls = 0;
        var body = await BodyReader.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes(html)), [], 2 * 1024 * 1024, 100, _ => ++calls < 0, Ct);
        calls.ShouldBe(1);
        body.Bytes.Length.ShouldBe(html.Length);
        body.Truncated.ShouldBeFalse();
    }

    [Theory]
    [InlineData("<html><head><title>t</title><header>no</header></head><body>x", "<html><head><title>t</title><header>no</header>")]
    [InlineData("<html><head><title>t</title></head\n><body>x", "<html><head><title>t</title>")]
    public async Task Body_reader_finds_the_head_end_tag_and_not_a_header(string html, string head)
    {
        var seen = string.Empty;
        await BodyReader.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes(html)), [], 1024 * 1024, 100, bytes =>
        {
            seen = Encoding.ASCII.GetString(bytes);
            return true;
        }, Ct);
        seen.ShouldBe(head);
    }

    [Fact]
    public async Task Gzip_bomb_is_refused()
    {
        await _service.GetAsync(_server.Url("/bomb"), Ct).ShouldFailWith(PreviewErrors.UpstreamTooLarge);
    }

    [Fact]
    public async Task Gzip_bomb_stops_within_the_cap_in_the_body_reader()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 32; i++)
            {
                gzip.Write(zeros);
            }
        }

        compressed.Position = 0;
        var compressedLength = compressed.Length;
        var counting = new CountingStream(compressed);
        var error = await Should.ThrowAsync<PreviewException>(
            () => BodyReader.ReadAsync(counting, ["gzip"], 2 * 1024 * 1024, 100, null, Ct));
        error.Code.ShouldBe(PreviewErrors.UpstreamTooLarge);

        // It stopped long before the end of the compressed stream (32 MiB of zeros is about 32 KiB gzipped).
        counting.BytesRead.ShouldBeLessThan(compressedLength);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    [InlineData("raw-deflate")]
    public async Task Compressed_pages_are_decoded(string encoding)
    {
        var card = (await _service.GetAsync(_server.Url($"/encoded/{encoding}/og-only"), Ct)).Card;
        card.Title.ShouldBe("Open Graph Title");
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task Corrupt_compressed_body_yields_an_empty_body_not_an_exception(string encoding)
    {
        var garbage = Encoding.ASCII.GetBytes("this is not compressed at all <html><head><title>x</title></head>");
        var body = await BodyReader.ReadAsync(new MemoryStream(garbage), [encoding], 1024 * 1024, 100, _ => true, Ct);
        body.Truncated.ShouldBeTrue();
    }

    [Theory]
    [InlineData(404)]
    [InlineData(403)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Error_status_carries_the_upstream_status(int status)
    {
        var error = await _service.GetAsync(_server.Url($"/status/{status}"), Ct).ShouldFail();
        error.Code.ShouldBe(PreviewErrors.UpstreamStatus);
        error.UpstreamStatus.ShouldBe(status);
        error.HttpStatus.ShouldBe(502);
    }

    [Fact]
    public async Task Connection_refused_is_unreachable()
    {
        await _service.GetAsync(new Uri($"http://127.0.0.1:{_server.RefusedPort}/"), Ct).ShouldFailWith(PreviewErrors.UpstreamUnreachable);
    }

    [Fact]
    public async Task Name_is_connected_through_the_checked_address_not_a_second_lookup()
    {
        // ".test" never resolves in real DNS: the fetch can only succeed by connecting to the address we checked.
        var resolver = new FakeResolver().Map("fixtures.test", "127.0.0.1");
        using var service = _server.CreateService(resolver: resolver);
        var card = (await service.GetAsync(new Uri($"http://fixtures.test:{_server.Port}/pages/og-only"), Ct)).Card;
        card.Title.ShouldBe("Open Graph Title");
        card.Url.ShouldBe($"http://fixtures.test:{_server.Port}/pages/og-only");
    }

    [Fact]
    public async Task Name_with_one_forbidden_address_among_allowed_ones_is_refused()
    {
        var resolver = new FakeResolver().Map("mixed.test", "127.0.0.1", "10.0.0.1");
        using var service = _server.CreateService(resolver: resolver);
        await service.GetAsync(new Uri($"http://mixed.test:{_server.Port}/pages/og-only"), Ct).ShouldFailWith(PreviewErrors.UpstreamUnreachable);
    }

    [Fact]
    public async Task Allow_list_admits_only_the_listed_network()
    {
        var resolver = new FakeResolver().Map("private.test", "10.1.2.3");
        using var service = _server.CreateService(resolver: resolver);
        await service.GetAsync(new Uri($"http://private.test:{_server.Port}/"), Ct).ShouldFailWith(PreviewErrors.UpstreamUnreachable);
        await service.GetAsync(new Uri($"http://[::1]:{_server.Port}/"), Ct).ShouldFailWith(PreviewErrors.UrlNotAllowed);
        await service.GetAsync(new Uri($"http://127.0.0.2:{_server.Port}/"), Ct).ShouldFailWith(PreviewErrors.UrlNotAllowed);
        await service.GetAsync(new Uri($"http://127.0.0.1:6379/"), Ct).ShouldFailWith(PreviewErrors.UrlNotAllowed);
    }

    [Theory]
    [InlineData("max-age", 3600.0)]
    [InlineData("s-maxage", 7200.0)]
    [InlineData("no-store", 0.0)]
    [InlineData("expires", 7200.0)]
    public async Task Upstream_cache_lifetime_is_reported(string kind, double seconds)
    {
        var result = await _service.GetAsync(_server.Url("/cache/" + kind), Ct);
        result.UpstreamMaxAge.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public async Task No_cache_headers_means_no_lifetime()
    {
        var result = await _service.GetAsync(_server.Url("/pages/no-icons"), Ct);
        result.UpstreamMaxAge.ShouldBeNull();
    }

    [Fact]
    public async Task Requests_carry_the_configured_user_agent_and_accept_compression()
    {
        var card = (await _service.GetAsync(_server.Url("/headers"), Ct)).Card;
        card.Title.ShouldBe("StoaPreviews/1.0 (+https://github.com/stoa)");
        card.Description.ShouldBe("gzip, deflate, br");

        using var custom = _server.CreateService(o => o.UserAgent = "CustomBot/2.0");
        (await custom.GetAsync(_server.Url("/headers"), Ct)).Card.Title.ShouldBe("CustomBot/2.0");
    }

    [Fact]
    public async Task Card_serialises_to_camel_case_json()
    {
        var card = (await _service.GetAsync(_server.Url("/pages/og-only"), Ct)).Card;
        var json = System.Text.Json.JsonSerializer.Serialize(card, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        json.ShouldContain("\"url\":");
        json.ShouldContain("\"canonicalUrl\":\"https://example.com/articles/og\"");
        json.ShouldContain("\"images\":[{\"url\":\"https://cdn.example.com/og.jpg\",\"width\":1200,\"height\":630");
        json.ShouldContain("\"publishedAt\":\"2024-03-05T07:30:00+00:00\"");
    }

    [Fact]
    public async Task Allowed_network_may_be_a_bare_address()
    {
        using var service = _server.CreateService(o => o.AllowedNetworks = ["127.0.0.1"]);
        (await service.GetAsync(_server.Url("/pages/no-icons"), Ct)).Card.Title.ShouldBe("No icons at all");
    }

    [Fact]
    public void Invalid_options_name_the_setting()
    {
        Should.Throw<ArgumentException>(() => new PreviewService(new PreviewOptions { AllowedNetworks = ["nonsense"] }))
            .Message.ShouldContain("AllowedNetworks");
        Should.Throw<ArgumentException>(() => new PreviewService(new PreviewOptions { AllowedNetworks = ["127.0.0.1/33"] }))
            .Message.ShouldContain("AllowedNetworks:0");
        Should.Throw<ArgumentException>(() => new PreviewService(new PreviewOptions { AllowedPorts = [0] }))
            .Message.ShouldContain("AllowedPorts");
        Should.Throw<ArgumentException>(() => new PreviewService(new PreviewOptions { BreakerMinimumThroughput = 1 }))
            .Message.ShouldContain("BreakerMinimumThroughput");
    }
}
