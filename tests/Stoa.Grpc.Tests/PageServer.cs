using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Testing;

[assembly: AssemblyFixture(typeof(Stoa.Grpc.Tests.PageServer))]

namespace Stoa.Grpc.Tests;

/// <summary>Plays "the internet" for link previews: pages with Open Graph cards on a loopback port, each request counted.</summary>
public sealed class PageServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public int Port { get; } = TestPorts.GetFree();

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public int Hits(string path) => _hits.TryGetValue(path, out var n) ? n : 0;

    /// <summary>Settings that let a node's previews reach this server (loopback is refused otherwise).</summary>
    public Dictionary<string, string?> PreviewSettings() => new()
    {
        ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
        ["Stoa:Previews:AllowedPorts:0"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        _app = builder.Build();
        _app.MapGet("/cards/{name}", (string name, HttpContext context) =>
        {
            _hits.AddOrUpdate(context.Request.Path, 1, (_, n) => n + 1);
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync($"""
                <!doctype html><html><head>
                <title>{name} page</title>
                <meta property="og:title" content="Card {name}">
                <meta property="og:description" content="About {name}.">
                <meta property="og:site_name" content="Pages">
                <meta property="og:image" content="http://127.0.0.1:{Port}/images/{name}.png">
                </head><body><p>{name}</p></body></html>
                """);
        });
        _app.MapGet("/missing", (HttpContext context) =>
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        await _app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
