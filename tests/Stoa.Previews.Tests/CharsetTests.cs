using System.Text;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

/// <summary>Pages in legacy encodings, declared in the header, a meta tag, a BOM, or not at all.</summary>
public sealed class CharsetTests : IDisposable
{
    private readonly FixtureServer _server;
    private readonly PreviewService _service;

    public CharsetTests(FixtureServer server)
    {
        _server = server;
        _service = server.CreateService();
    }

    public void Dispose() => _service.Dispose();

    public static TheoryData<string> Cases() => [.. CharsetFixtures.All.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Page_decodes_to_the_right_text(string name)
    {
        var fixture = CharsetFixtures.All.Single(f => f.Name == name);
        var card = (await _service.GetAsync(_server.Url("/charset/" + name), TestContext.Current.CancellationToken)).Card;
        card.Title.ShouldBe(fixture.ExpectedTitle);
        card.Description.ShouldBe(fixture.ExpectedDescription);
    }

    /// <summary>
    /// The fixtures are encoded with the same .NET encodings that decode them; these known byte sequences prove the
    /// round trip is not two matching mistakes.
    /// </summary>
    [Theory]
    [InlineData("shift_jis", "日本語", "93FA967B8CEA")]
    [InlineData("euc-jp", "日本語", "C6FCCBDCB8EC")]
    [InlineData("gbk", "中文", "D6D0CEC4")]
    [InlineData("big5", "中文", "A4A4A4E5")]
    [InlineData("windows-1251", "Привет", "CFF0E8E2E5F2")]
    [InlineData("windows-1252", "é€—", "E98097")]
    [InlineData("iso-8859-2", "łż", "B3BF")]
    public void Known_bytes_decode_to_known_text(string charset, string text, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        CharsetDetector.Decode(bytes, charset).ShouldBe(text);
    }

    [Theory]
    [InlineData("utf-8", "bom")]
    [InlineData(null, "bom")]
    public void Bom_wins_over_everything(string? header, string expectedSource)
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. "<meta charset=\"shift_jis\">"u8];
        var (encoding, bomLength, source) = CharsetDetector.Detect(body, header);
        encoding.WebName.ShouldBe("utf-8");
        bomLength.ShouldBe(3);
        source.ShouldBe(expectedSource);
    }

    [Fact]
    public void Header_wins_over_meta_and_meta_over_default()
    {
        var body = "<html><head><meta charset=\"euc-jp\"></head>"u8.ToArray();
        CharsetDetector.Detect(body, "big5").Source.ShouldBe("header");
        CharsetDetector.Detect(body, null).Source.ShouldBe("meta");
        CharsetDetector.Detect("<html></html>"u8, null).Source.ShouldBe("default");
    }

    [Fact]
    public void Meta_after_the_prescan_window_is_not_seen()
    {
        var body = Encoding.ASCII.GetBytes("<html><head><!-- " + new string('x', 5000) + " --><meta charset=\"shift_jis\">");
        CharsetDetector.Detect(body, null).Source.ShouldBe("default");
    }

    [Fact]
    public void Meta_declaring_utf16_means_utf8()
    {
        var (encoding, _, _) = CharsetDetector.Detect("<meta charset=\"utf-16\">"u8, null);
        encoding.WebName.ShouldBe("utf-8");
    }

    [Fact]
    public void Invalid_bytes_become_replacement_characters()
    {
        // Mostly UTF-8 with a stray byte: still UTF-8, the stray byte a replacement character.
        CharsetDetector.Decode([.. "é"u8, 0xFF, .. "è"u8, .. "ü"u8], "utf-8").ShouldBe("é\uFFFDèü");
        CharsetDetector.Decode([.. "日本"u8, 0xFF, .. "語"u8], "x-unknown").ShouldBe("日本\uFFFD語");
        CharsetDetector.Decode([0x93, 0xFA, 0xFF, 0xFF], "shift_jis").ShouldStartWith("日");
    }

    [Fact]
    public void A_utf8_declaration_over_latin1_bytes_is_corrected()
    {
        var bytes = Encoding.GetEncoding("windows-1252").GetBytes("<meta charset=\"utf-8\"><title>Café crème à la française</title>");
        var (encoding, _, source) = CharsetDetector.Detect(bytes, "utf-8");
        encoding.WebName.ShouldBe("windows-1252");
        source.ShouldBe("header, corrected: the bytes are not UTF-8, read as windows-1252");
        CharsetDetector.Decode(bytes, "utf-8").ShouldContain("Café crème à la française");
    }

    [Fact]
    public void A_utf8_header_over_bytes_the_meta_tag_names_uses_the_meta_tag()
    {
        var bytes = Encoding.GetEncoding("windows-1251").GetBytes("<meta charset=\"windows-1251\"><title>Привет, мир</title>");
        var (encoding, _, _) = CharsetDetector.Detect(bytes, "utf-8");
        encoding.WebName.ShouldBe("windows-1251");
    }

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("windows-1251")]
    [InlineData("shift_jis")]
    public void A_legacy_declaration_over_utf8_bytes_is_corrected(string declared)
    {
        var bytes = Encoding.UTF8.GetBytes("<title>Ünïcödé — “quoted” 日本語</title>");
        var (encoding, _, source) = CharsetDetector.Detect(bytes, declared);
        encoding.WebName.ShouldBe("utf-8");
        source.ShouldEndWith("corrected: the bytes are UTF-8");
    }
}
