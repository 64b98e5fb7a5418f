using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

/// <summary>Images, documents, video and audio get a card from their headers; their bodies are never read.</summary>
public sealed class NonHtmlTests : IDisposable
{
    private readonly FixtureServer _server;
    private readonly PreviewService _service;

    public NonHtmlTests(FixtureServer server)
    {
        _server = server;
        _service = server.CreateService();
    }

    public void Dispose() => _service.Dispose();

    private async Task<LinkCard> Card(string path) =>
        (await _service.GetAsync(_server.Url(path), TestContext.Current.CancellationToken)).Card;

    [Fact]
    public async Task Png_image()
    {
        var card = await Card("/files/photo.png");
        card.Type.ShouldBe("image");
        card.ContentType.ShouldBe("image/png");
        card.ContentLength.ShouldNotBeNull().ShouldBeGreaterThan(0);
        card.Title.ShouldBe("photo.png");
        card.Images.ShouldBe([new LinkImage(_server.BaseUrl + "/files/photo.png", Type: "image/png")]);
    }

    [Fact]
    public async Task Pdf_takes_its_title_from_content_disposition()
    {
        var card = await Card("/files/report");
        card.Type.ShouldBe("document");
        card.ContentType.ShouldBe("application/pdf");
        card.Title.ShouldBe("Quarterly report.pdf");
        card.Images.ShouldBeEmpty();
    }

    [Fact]
    public async Task Video()
    {
        var card = await Card("/files/clip.mp4");
        card.Type.ShouldBe("video");
        card.ContentLength.ShouldBe(2048);
        card.Videos.Single().Type.ShouldBe("video/mp4");
    }

    [Fact]
    public async Task Audio_title_is_the_unescaped_file_name()
    {
        var card = await Card("/files/song%20one.mp3");
        card.Type.ShouldBe("audio");
        card.Title.ShouldBe("song one.mp3");
        card.Audios.Single().Type.ShouldBe("audio/mpeg");
    }

    [Fact]
    public async Task Other_binary_is_a_file()
    {
        var card = await Card("/files/data.bin");
        card.Type.ShouldBe("file");
        card.ContentType.ShouldBe("application/octet-stream");
        card.Title.ShouldBe("data.bin");
    }
}
