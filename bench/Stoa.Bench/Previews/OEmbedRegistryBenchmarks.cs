using System.Text;
using BenchmarkDotNet.Attributes;
using Stoa.Previews.Extraction;

namespace Stoa.Bench.Previews;

/// <summary>
/// The bundled oEmbed provider registry (the whole public one, about 850 schemes): building it, once per process on
/// the first preview, and the lookup every fetched page makes when it has no discovery link. Crafted is a 4 KB URL on a
/// host whose schemes have up to six wildcards, the case that a backtracking matcher could not finish.
/// </summary>
[MemoryDiagnoser]
public class OEmbedRegistryBenchmarks
{
    private static readonly Uri s_known = new("https://www.youtube.com/watch?v=q7Rn3UfVxk0");
    private static readonly Uri s_unknown = new("https://news.example.com/2024/05/17/council-approves-new-bus-routes");
    private static readonly Uri s_crafted = new("https://backtracks.fm/" + string.Concat(Enumerable.Repeat("a/", 2000)));
    private string[] _documents = [];

    [GlobalSetup]
    public void Setup()
    {
        var assembly = typeof(OEmbedRegistry).Assembly;
        _documents = [.. new[] { "providers.json", "providers.local.json" }.Select(name =>
        {
            using var stream = assembly.GetManifestResourceStream("Stoa.Previews.OEmbed." + name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        })];
        _ = OEmbedRegistry.Bundled.Find(s_known);
    }

    [Benchmark]
    public int Build() => OEmbedRegistry.Parse(_documents).SchemeCount;

    [Benchmark]
    public object? FindKnown() => OEmbedRegistry.Bundled.Find(s_known);

    [Benchmark]
    public object? FindUnknown() => OEmbedRegistry.Bundled.Find(s_unknown);

    [Benchmark]
    public object? FindCrafted() => OEmbedRegistry.Bundled.Find(s_crafted);
}
