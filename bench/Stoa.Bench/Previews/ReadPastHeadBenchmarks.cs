using System.Text;
using AngleSharp.Html.Parser;
using BenchmarkDotNet.Attributes;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;
using Stoa.Previews.Extraction;

namespace Stoa.Bench.Previews;

/// <summary>
/// What reading past &lt;/head&gt; costs, at three page weights and two kinds of body: an article whose head names no
/// author or date, padded like a real page (more than half of it inline script and hydration JSON), and a markup-heavy
/// article (sections of paragraphs, links and images). Stopping at the head (the gate's own work) is the baseline;
/// the whole page as the API extracts it (body reader, gate, charset check, head parse, scan, JSON-LD, merge); the
/// scan alone; and, for comparison, the whole page parsed into a DOM by AngleSharp (parse only, nothing read from it).
/// </summary>
[MemoryDiagnoser]
public class ReadPastHeadBenchmarks
{
    private static readonly Uri Url = new("https://devblog.lumen.example/posts/trunk-based-development");
    private readonly HtmlParser _parser = new(new HtmlParserOptions { IsScripting = false });
    private PreviewService? _service;
    private byte[] _page = [];
    private byte[] _head = [];
    private string _html = "";
    private int _headEnd;

    [Params(100, 300, 1000)]
    public int PageKb { get; set; }

    [Params("script-heavy", "markup-heavy")]
    public string Body { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _page = Body == "markup-heavy"
            ? Encoding.UTF8.GetBytes(PreviewBenchmarks.BuildPage(PageKb * 1024).Replace("<meta name=\"twitter:card\"", "<meta name=\"x\"", StringComparison.Ordinal)
                .Replace("\"author\":{\"@type\":\"Person\",\"name\":\"A. Writer\"},", string.Empty, StringComparison.Ordinal))
            : CardFixturePages.Load("byline-text-date", PageKb).Bytes;
        _html = Encoding.UTF8.GetString(_page);
        _headEnd = PageExtractor.HeadEnd(_html);
        _head = _page[..Encoding.UTF8.GetByteCount(_html[.._headEnd])];
        _service = new PreviewService(new PreviewOptions());
        if (new HeadProbe().HeadSuffices(Url, "utf-8", _head))
        {
            throw new InvalidOperationException("The page's head must lack a field, or the body is never read.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _service?.Dispose();

    [Benchmark(Baseline = true)]
    public bool StopAtHead() => new HeadProbe().HeadSuffices(Url, "utf-8", _head);

    [Benchmark]
    public Task WholePage() => _service!.CardFromPageAsync(Url, _page, "utf-8", CancellationToken.None);

    [Benchmark]
    public int ScanOnly() => MarkupScanner.Scan(_html, _headEnd, href => PageContext.ResolveAgainst(Url, href)).Candidates.Items.Count;

    [Benchmark]
    public int DomParseOnly()
    {
        using var document = _parser.ParseDocument(_html);
        return document.All.Length;
    }
}
