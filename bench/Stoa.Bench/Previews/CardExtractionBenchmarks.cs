using BenchmarkDotNet.Attributes;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Bench.Previews;

/// <summary>
/// Extraction time per page over the card fixtures: the API's path after the fetch (body reader and head gate,
/// charset detection, head parse, body scan, JSON-LD, merge), no network. Each page as written (a few KB) and inside
/// 300 KB of real-page weight (navigation, sprites, comments, an inline bundle, hydration JSON), which is where the
/// cost of reading past &lt;/head&gt; shows. docs/benchmarks.md has the figures and the median.
/// </summary>
[MemoryDiagnoser]
public class CardExtractionBenchmarks
{
    private PreviewService? _service;
    private (Uri Url, string? HeaderCharset, byte[] Bytes) _page;

    public static IEnumerable<string> Pages() => CardFixturePages.Names();

    [ParamsSource(nameof(Pages))]
    public string Page { get; set; } = "";

    [Params(0, 300)]
    public int PageKb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _page = CardFixturePages.Load(Page, PageKb);
        _service = new PreviewService(new PreviewOptions());
    }

    [GlobalCleanup]
    public void Cleanup() => _service?.Dispose();

    [Benchmark]
    public Task Extract() => _service!.CardFromPageAsync(_page.Url, _page.Bytes, _page.HeaderCharset, CancellationToken.None);
}
