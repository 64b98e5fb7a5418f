using System.Text;
using System.Text.RegularExpressions;

namespace Stoa.Previews.Tests;

/// <summary>
/// The charset cases: a UTF-8 template from Fixtures/charsets, encoded here into the declared encoding (with the
/// declaration placed in the header, a meta tag, or both, disagreeing on purpose where precedence is tested).
/// </summary>
public sealed partial record CharsetFixture(
    string Name, string Template, string BodyEncoding, string? HeaderCharset, string? Meta, bool Bom = false)
{
    static CharsetFixture()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private string TemplateText => File.ReadAllText(Path.Combine(FixtureServer.FixturesDirectory, "charsets", Template + ".html"));

    public string ExpectedTitle => TitleRegex().Match(TemplateText).Groups[1].Value;

    public string ExpectedDescription => DescriptionRegex().Match(TemplateText).Groups[1].Value;

    public byte[] Encode()
    {
        var html = TemplateText.Replace("{{META}}", Meta ?? string.Empty, StringComparison.Ordinal);
        var encoding = Encoding.GetEncoding(BodyEncoding);
        var bytes = encoding.GetBytes(html);
        return Bom ? [.. encoding.GetPreamble(), .. bytes] : bytes;
    }

    public override string ToString() => Name;

    [GeneratedRegex("<title>(.*)</title>")]
    private static partial Regex TitleRegex();

    [GeneratedRegex("<meta name=\"description\" content=\"(.*)\">")]
    private static partial Regex DescriptionRegex();
}

public static class CharsetFixtures
{
    public static readonly CharsetFixture[] All =
    [
        new("sjis-header", "ja", "shift_jis", "Shift_JIS", null),
        new("sjis-meta-charset", "ja", "shift_jis", null, "<meta charset=\"Shift_JIS\">"),
        new("sjis-label-windows-31j", "ja", "shift_jis", null, "<meta charset=\"windows-31j\">"),
        new("eucjp-http-equiv", "ja", "euc-jp", null, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=EUC-JP\">"),
        new("gbk-meta-gb2312-label", "zh-hans", "gbk", null, "<meta charset=gb2312>"),
        new("gbk-header", "zh-hans", "gbk", "GBK", null),
        new("big5-header", "zh-hant", "big5", "big5", null),
        new("big5-http-equiv", "zh-hant", "big5", null, "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=big5'>"),
        new("windows-1251-meta", "ru", "windows-1251", null, "<meta charset=\"windows-1251\">"),
        new("windows-1252-header", "fr", "windows-1252", "windows-1252", null),
        new("latin1-label-is-windows-1252", "fr", "windows-1252", "ISO-8859-1", null),
        new("iso-8859-2-meta", "pl", "iso-8859-2", null, "<meta charset=\"iso-8859-2\">"),
        new("utf8-bom-no-declaration", "ja", "utf-8", null, null, Bom: true),
        new("bom-beats-header", "ru", "utf-8", "windows-1251", null, Bom: true),
        new("header-beats-meta", "ru", "windows-1251", "windows-1251", "<meta charset=\"utf-8\">"),
        new("meta-charset-in-comment-ignored", "ja", "euc-jp", null, "<!-- <meta charset=\"shift_jis\"> --><meta charset=\"euc-jp\">"),
        new("unknown-header-falls-to-meta", "ja", "shift_jis", "x-no-such-charset", "<meta charset=\"shift_jis\">"),
        new("undeclared-is-utf8", "fr", "utf-8", null, null),
        new("quoted-header-charset", "zh-hans", "gbk", "\"gbk\"", null),
    ];
}
