using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;
using Stoa.Previews.Extraction;

namespace Stoa.Bench.Previews;

/// <summary>
/// Extraction of a 500 KB page (parse + every extractor + merge) and a cold preview fetched from a local server
/// (SSRF checks, connect, read, decode, extract; no cache in front).
/// </summary>
[MemoryDiagnoser]
public class PreviewBenchmarks
{
    private string _page = "";
    private WebApplication? _server;
    private PreviewService? _service;
    private Uri _url = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _page = BuildPage(500 * 1024);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.MapGet("/page", (HttpContext context) =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(_page);
        });
        await _server.StartAsync();
        var address = new Uri(_server.Urls.First());
        _url = new Uri($"http://127.0.0.1:{address.Port}/page");
        _service = new PreviewService(new PreviewOptions
        {
            AllowedNetworks = ["127.0.0.1/32"],
            AllowedPorts = [address.Port],
            FetchOEmbed = false,
            BreakerMinimumThroughput = 1_000_000,
        });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _service?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    [Benchmark]
    public object Extract500KbPage() => PageExtractor.Extract(_page, new Uri("https://news.example.com/articles/1"));

    [Benchmark]
    public async Task<object> ColdFetchFromLocalServer() => (await _service!.GetAsync(_url, CancellationToken.None)).Card;

    /// <summary>A realistic article: metadata in the head, JSON-LD, then a long body of paragraphs, links and images.</summary>
    internal static string BuildPage(int size)
    {
        var html = new StringBuilder("""
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <title>Quarterly results beat expectations | Example News</title>
            <meta name="description" content="Revenue grew 12% on strong demand for the new line of products.">
            <meta property="og:title" content="Quarterly results beat expectations">
            <meta property="og:site_name" content="Example News">
            <meta property="og:image" content="/img/lead.jpg"><meta property="og:image:width" content="1200"><meta property="og:image:height" content="630">
            <meta name="twitter:card" content="summary_large_image">
            <link rel="icon" href="/favicon.ico"><link rel="canonical" href="https://news.example.com/articles/1">
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Quarterly results beat expectations","author":{"@type":"Person","name":"A. Writer"},"datePublished":"2026-11-20T08:00:00Z"}</script>
            </head><body><main><article>
            """);
        var i = 0;
        while (html.Length < size)
        {
            html.Append("<section><h2>Part ").Append(i).Append("</h2><p>Lorem ipsum dolor sit amet, <a href=\"/related/").Append(i)
                .Append("\">consectetur</a> adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>")
                .Append("<img src=\"/img/").Append(i).Append(".jpg\" width=\"640\" height=\"360\" alt=\"Figure ").Append(i).Append("\"></section>");
            i++;
        }

        return html.Append("</article></main></body></html>").ToString();
    }
}
