using System.Text;
using AngleSharp.Html.Parser;
using BenchmarkDotNet.Attributes;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;
using Stoa.Previews.Extraction;

namespace Stoa.Bench.Previews;

/// <summary>
/// What reading past &lt;/head&gt; costs, on one article (its head names no author or date) at three page weights:
/// stopping at the head (the gate's own work), the whole page as extracted now (the body scanned in one pass), and the
/// whole page parsed into a DOM by AngleSharp, the way the body would have been read before.
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

    [Params(100, 300, 1000)]
    public int PageKb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _page = CardFixturePages.Load("byline-text-date", PageKb).Bytes;
        _html = Encoding.UTF8.GetString(_page);
        _head = _page[..Encoding.UTF8.GetByteCount(_html[..PageExtractor.HeadEnd(_html)])];
        _service = new PreviewService(new PreviewOptions());
    }

    [GlobalCleanup]
    public void Cleanup() => _service?.Dispose();

    [Benchmark(Baseline = true)]
    public bool StopAtHead() => new HeadProbe().HeadSuffices(Url, "utf-8", _head);

    [Benchmark]
    public Task WholePageScanned() => _service!.CardFromPageAsync(Url, _page, "utf-8", CancellationToken.None);

    [Benchmark]
    public int WholePageAsDom()
    {
        using var document = _parser.ParseDocument(NestingGuard.Truncate(Encoding.UTF8.GetString(_page)));
        return document.QuerySelectorAll("time[datetime], [class*=byline], img, script[type]").Length;
    }
}
