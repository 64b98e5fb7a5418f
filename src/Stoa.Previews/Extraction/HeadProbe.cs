using System.Diagnostics;
using System.Text;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Extraction;

/// <summary>
/// Decides, when a page's <c>&lt;/head&gt;</c> arrives, whether the rest of the body must be read: the head is decoded,
/// parsed and merged into a card as the whole page would be, and the body is read when a field a card needs is still
/// missing (title, description, image, a person as author, the published date, the publisher; the video or audio of a
/// video or music page). The parsed head is kept so that the page's extraction does not parse it a second time.
/// </summary>
internal sealed class HeadProbe
{
    private (Uri Url, string Encoding, string Text, HeadData Head)? _saved;

    /// <summary>Whether a head was seen (false: the page had no &lt;/head&gt; within what was read).</summary>
    public bool Decided { get; private set; }

    /// <summary>The fields the head lacked: what the body was read for.</summary>
    public IReadOnlyList<string> Missing { get; private set; } = [];

    /// <summary>CPU time the decision took (it runs during the fetch, so extraction time must add it).</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <returns>True when the head is enough and reading may stop.</returns>
    public bool HeadSuffices(Uri url, string? headerCharset, ReadOnlySpan<byte> head)
    {
        var started = Stopwatch.GetTimestamp();
        var (encoding, bomLength, _) = CharsetDetector.Detect(head, headerCharset);
        var text = encoding.GetString(head[bomLength..]);
        var parsed = HeadData.Parse(text);
        var page = PageExtractor.ExtractHead(parsed, url);
        var card = CardMerger.Merge(url, "text/html", page.Candidates, embed: null);
        Missing = CardMerger.Missing(card);
        Decided = true;
        _saved = (url, encoding.WebName, text, parsed);
        Elapsed = Stopwatch.GetElapsedTime(started);
        return Missing.Count == 0;
    }

    /// <summary>The head parsed while deciding, if <paramref name="html"/> (decoded with <paramref name="encoding"/>) starts with that same head.</summary>
    public HeadData? Reuse(Uri url, Encoding encoding, string html, int headEnd) =>
        _saved is { } saved && saved.Url == url && saved.Encoding == encoding.WebName && saved.Text.Length == headEnd
            && html.AsSpan(0, headEnd).SequenceEqual(saved.Text)
            ? saved.Head
            : null;
}
