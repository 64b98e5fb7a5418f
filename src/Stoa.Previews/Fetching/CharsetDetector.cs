using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Stoa.Previews.Fetching;

/// <summary>
/// Picks the encoding of an HTML body as browsers do (WHATWG encoding sniffing): a byte order mark, then the
/// Content-Type header's charset, then a <c>&lt;meta charset&gt;</c> or <c>&lt;meta http-equiv="Content-Type"&gt;</c> in
/// the first <see cref="PrescanBytes"/> bytes, else UTF-8. Then the bytes get a say, since servers often send a
/// default charset that is not the page's: a declared (or default) UTF-8 whose non-ASCII bytes are mostly not UTF-8
/// becomes the meta tag's other encoding, else windows-1252; a declared legacy encoding whose non-ASCII bytes are all
/// valid UTF-8 (two sequences at least) becomes UTF-8. Undecodable bytes become U+FFFD, never an exception.
/// </summary>
internal static partial class CharsetDetector
{
    public const int PrescanBytes = 4096;

    // Enough non-ASCII sequences to judge an encoding by; past this the rest of the body is not examined.
    private const int MaxSequencesExamined = 4096;

    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    // WHATWG labels whose .NET name differs or whose meaning the web redefined (latin1 is really windows-1252).
    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["iso-8859-1"] = "windows-1252",
        ["iso8859-1"] = "windows-1252",
        ["latin1"] = "windows-1252",
        ["l1"] = "windows-1252",
        ["ascii"] = "windows-1252",
        ["us-ascii"] = "windows-1252",
        ["cp1252"] = "windows-1252",
        ["x-user-defined"] = "windows-1252",
        ["iso-8859-9"] = "windows-1254",
        ["latin5"] = "windows-1254",
        ["iso-8859-11"] = "windows-874",
        ["tis-620"] = "windows-874",
        ["gb2312"] = "gbk",
        ["x-gbk"] = "gbk",
        ["chinese"] = "gbk",
        ["csgb2312"] = "gbk",
        ["x-sjis"] = "shift_jis",
        ["sjis"] = "shift_jis",
        ["ms932"] = "shift_jis",
        ["ms_kanji"] = "shift_jis",
        ["windows-31j"] = "shift_jis",
        ["cp932"] = "shift_jis",
        ["x-euc-jp"] = "euc-jp",
        ["big5-hkscs"] = "big5",
        ["cn-big5"] = "big5",
        ["x-x-big5"] = "big5",
        ["ks_c_5601-1987"] = "euc-kr",
        ["cp1251"] = "windows-1251",
        ["x-cp1251"] = "windows-1251",
        ["unicode-1-1-utf-8"] = "utf-8",
        ["utf8"] = "utf-8",
    };

    static CharsetDetector()
    {
        // Shift_JIS, EUC-JP, GBK, Big5, windows-125x and ISO-8859-x live in the code-pages provider, not in the BCL core.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Decodes <paramref name="body"/>, dropping a byte order mark.</summary>
    public static string Decode(ReadOnlySpan<byte> body, string? headerCharset)
    {
        var (encoding, bomLength, _) = Detect(body, headerCharset);
        return encoding.GetString(body[bomLength..]);
    }

    /// <returns>The encoding, the byte order mark's length, and where the decision came from (for tests and logs).</returns>
    public static (Encoding Encoding, int BomLength, string Source) Detect(ReadOnlySpan<byte> body, string? headerCharset)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (s_utf8, 3, "bom");
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Resolve("utf-16be")!, 2, "bom");
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Resolve("utf-16le")!, 2, "bom");
        }

        var metaEncoding = Prescan(body[..Math.Min(body.Length, PrescanBytes)]) is { } label ? Resolve(label) : null;

        // A page cannot declare an ASCII-incompatible encoding in ASCII; WHATWG reads such a declaration as UTF-8.
        if (metaEncoding is { CodePage: 1200 or 1201 or 12000 or 12001 })
        {
            metaEncoding = s_utf8;
        }

        var (declared, source) = Resolve(headerCharset) is { } fromHeader ? (fromHeader, "header")
            : metaEncoding is not null ? (metaEncoding, "meta")
            : (s_utf8, "default");

        // windows-1252 (iso-8859-1, us-ascii) is what servers send when nobody configured a charset; a page that declares
        // another legacy encoding knows better. (A declared UTF-8 is checked against the bytes below.)
        if (source == "header" && declared.CodePage == 1252 && metaEncoding is { CodePage: not 1252 and not 65001 } meta)
        {
            (declared, source) = (meta, "meta, over a windows-1252 header (a server default)");
        }
        return Verify(body, declared, source, metaEncoding);
    }

    /// <summary>Overrules a declaration the bytes contradict (see the class summary).</summary>
    private static (Encoding Encoding, int BomLength, string Source) Verify(ReadOnlySpan<byte> body, Encoding declared, string source, Encoding? metaEncoding)
    {
        if (declared.CodePage is 1200 or 1201 or 12000 or 12001)
        {
            return (declared, 0, source);
        }

        var (valid, invalid) = Utf8Sequences(body);
        if (declared.CodePage == 65001)
        {
            if (invalid > valid)
            {
                var fallback = metaEncoding is { CodePage: not 65001 } ? metaEncoding : Resolve("windows-1252")!;
                return (fallback, 0, $"{source}, corrected: the bytes are not UTF-8, read as {fallback.WebName}");
            }

            return (declared, 0, source);
        }

        // One sequence proves little (windows-1252 "é€—" is valid UTF-8 by chance); mojibake-free legacy text rarely has two.
        return valid >= 2 && invalid == 0 ? (s_utf8, 0, $"{source} ({declared.WebName}), corrected: the bytes are UTF-8") : (declared, 0, source);
    }

    /// <summary>Counts well-formed and malformed UTF-8 sequences among the non-ASCII bytes (an incomplete one at the end, cut by the cap, is neither).</summary>
    private static (int Valid, int Invalid) Utf8Sequences(ReadOnlySpan<byte> body)
    {
        int valid = 0, invalid = 0, i = 0;
        while (valid + invalid < MaxSequencesExamined)
        {
            var next = body[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (next < 0)
            {
                break;
            }

            i += next;
            var status = System.Text.Rune.DecodeFromUtf8(body[i..], out _, out var consumed);
            if (status == OperationStatus.NeedMoreData)
            {
                break;
            }

            if (status == OperationStatus.Done)
            {
                valid++;
            }
            else
            {
                invalid++;
            }

            i += Math.Max(1, consumed);
        }

        return (valid, invalid);
    }

    /// <summary>The encoding for a charset label, or null when the label is unknown.</summary>
    public static Encoding? Resolve(string? label)
    {
        label = label?.Trim().Trim('"', '\'').Trim();
        if (string.IsNullOrEmpty(label))
        {
            return null;
        }

        if (s_aliases.TryGetValue(label, out var alias))
        {
            label = alias;
        }

        if (label.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return s_utf8;
        }

        try
        {
            return Encoding.GetEncoding(label, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The charset label declared by the first meta element that declares one, ignoring comments.</summary>
    internal static string? Prescan(ReadOnlySpan<byte> head)
    {
        // Latin-1 maps bytes one to one, so positions and ASCII markup survive whatever the real encoding is.
        var text = CommentRegex().Replace(Encoding.Latin1.GetString(head), " ");
        foreach (Match meta in MetaRegex().Matches(text))
        {
            string? charset = null;
            string? httpEquiv = null;
            string? content = null;
            foreach (Match attribute in AttributeRegex().Matches(meta.Groups[1].Value))
            {
                var value = attribute.Groups[2].Value.Trim('"', '\'');
                switch (attribute.Groups[1].Value.ToLowerInvariant())
                {
                    case "charset":
                        charset ??= value;
                        break;
                    case "http-equiv":
                        httpEquiv ??= value;
                        break;
                    case "content":
                        content ??= value;
                        break;
                }
            }

            if (!string.IsNullOrWhiteSpace(charset))
            {
                return charset;
            }

            if (content is not null && string.Equals(httpEquiv?.Trim(), "content-type", StringComparison.OrdinalIgnoreCase))
            {
                var m = ContentCharsetRegex().Match(content);
                if (m.Success)
                {
                    return m.Groups[1].Value;
                }
            }
        }

        return null;
    }

    [GeneratedRegex("<!--.*?(-->|$)", RegexOptions.Singleline)]
    private static partial Regex CommentRegex();

    [GeneratedRegex(@"<meta(?=[\s/])([^>]*)>?", RegexOptions.IgnoreCase)]
    private static partial Regex MetaRegex();

    [GeneratedRegex(@"([^\s=/>""']+)\s*=\s*(""[^""]*""|'[^']*'|[^\s>]+)")]
    private static partial Regex AttributeRegex();

    [GeneratedRegex(@"charset\s*=\s*[""']?([^\s;""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex ContentCharsetRegex();
}
