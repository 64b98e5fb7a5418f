using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;
using Stoa.Testing;

[assembly: AssemblyFixture(typeof(Stoa.Previews.Tests.FixtureServer))]

namespace Stoa.Previews.Tests;

/// <summary>
/// Plays "the internet" for the tests: a Kestrel server on 127.0.0.1 serving the fixture pages, charset variants,
/// redirects, slow, huge, compressed and failing answers. Started once per test run; it counts hits per path so tests
/// can prove a request never reached it.
/// </summary>
public sealed class FixtureServer : IAsyncLifetime
{
    private static readonly Lazy<byte[]> s_gzipBomb = new(() => CreateBomb());

    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _traceContextSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _abandoned = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public int Port { get; } = TestPorts.GetFree();

    /// <summary>A port nothing listens on, allowed by <see cref="CreateService"/> so a connect is attempted and refused.</summary>
    public int RefusedPort { get; } = TestPorts.GetFree();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static string FixturesDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public Uri Url(string pathAndQuery) => new(BaseUrl + pathAndQuery);

    /// <summary>Requests for <paramref name="path"/>, or for exactly this path and query when it has one.</summary>
    public int Hits(string path) => _hits.TryGetValue(path, out var n) ? n : 0;

    /// <summary>Whether a request for this path and query came with a <c>traceparent</c> header (null: no request came).</summary>
    public bool? SawTraceContext(string pathAndQuery) => _traceContextSeen.TryGetValue(pathAndQuery, out var seen) ? seen : null;

    /// <summary>Completes when the request to <c>/hostile/hang/{id}</c> was aborted by its client (the fetcher gave up).</summary>
    public Task Abandoned(string id) => _abandoned.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>A service allowed to reach this server (127.0.0.1/32, its port and the refused port) and nothing else private.</summary>
    internal PreviewService CreateService(Action<PreviewOptions>? configure = null, IHostResolver? resolver = null)
    {
        var options = new PreviewOptions
        {
            AllowedNetworks = ["127.0.0.1/32"],
            AllowedPorts = [80, 443, Port, RefusedPort],
        };
        configure?.Invoke(options);
        return new PreviewService(options, resolver ?? new FakeResolver());
    }

    /// <summary>The real app on SQLite, allowed to reach this server; <paramref name="settings"/> add to or override its settings.</summary>
    public StoaAppFactory<Program> CreateApp(IReadOnlyDictionary<string, string?>? settings = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var all = TestSettings.Merge(new Dictionary<string, string?>
        {
            ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Stoa:Previews:AllowedPorts:0"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stoa:RateLimits:Enabled"] = "false",
        }, settings);
        return new StoaAppFactory<Program>(TestStores.CreateSqlite(), all) { TestServices = services };
    }

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();

        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (context.Request.QueryString.HasValue)
            {
                // Also counted with its query, so a test can count its own URL while other classes hit the same path.
                _hits.AddOrUpdate(path + context.Request.QueryString.Value, 1, (_, n) => n + 1);
            }

            _traceContextSeen[path + context.Request.QueryString.Value] = context.Request.Headers.ContainsKey("traceparent");

            await next(context);
        });

        app.MapGet("/pages/{name}", async (HttpContext context, string name) =>
            await ServeFile(context, Path.Combine("pages", name + ".html"), "text/html"));

        app.MapGet("/oembed/{name}", async (HttpContext context, string name) =>
            await ServeFile(context, Path.Combine("oembed", name + ".json"), "application/json"));

        app.MapGet("/manifests/{name}", async (HttpContext context, string name) =>
            await ServeFile(context, Path.Combine("manifests", name), "application/manifest+json"));

        app.MapGet("/charset/{name}", async (HttpContext context, string name) =>
        {
            var fixture = CharsetFixtures.All.Single(f => f.Name == name);
            context.Response.ContentType = fixture.HeaderCharset is null ? "text/html" : $"text/html; charset={fixture.HeaderCharset}";
            await context.Response.Body.WriteAsync(fixture.Encode());
        });

        // Generic redirect: /redirect?to=<raw Location>&status=302
        app.MapGet("/redirect", (HttpContext context) =>
        {
            context.Response.StatusCode = int.TryParse(context.Request.Query["status"], out var status) ? status : 302;
            context.Response.Headers.Location = context.Request.Query["to"].ToString();
            return Task.CompletedTask;
        });

        app.MapGet("/chain/{n:int}", (HttpContext context, int n) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = n > 1 ? $"/chain/{n - 1}" : "/pages/og-only";
            return Task.CompletedTask;
        });

        app.MapGet("/status/{code:int}", (HttpContext context, int code) =>
        {
            context.Response.StatusCode = code;
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync($"<html><head><title>status {code}</title></head></html>");
        });

        // Echoes the request headers we care about: the User-Agent as the title, Accept-Encoding as the description.
        app.MapGet("/headers", (HttpContext context) =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            var title = WebUtility.HtmlEncode(context.Request.Headers.UserAgent.ToString());
            var encodings = WebUtility.HtmlEncode(context.Request.Headers.AcceptEncoding.ToString());
            return context.Response.WriteAsync($"<html><head><title>{title}</title><meta name=description content=\"{encodings}\"></head></html>");
        });

        app.MapGet("/slow", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });

        // Slow but successful: long enough for concurrent requests on other nodes to arrive meanwhile.
        app.MapGet("/slow-ok", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<html><head><title>Slow but fine</title></head><body></body></html>");
        });

        app.MapGet("/slow-body", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><head><title>slow body");
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });

        // 6 MiB of paragraphs after a head without og:image, so the reader goes on until the cap.
        app.MapGet("/huge", (HttpContext context) => WriteHugeAsync(context,
            "<html><head><title>Huge page</title><meta name=\"description\" content=\"big\"></head><body>",
            "<p>lorem ipsum dolor sit amet</p>\n"));

        // A head with every card field: the reader stops at </head> and never reads the 6 MiB body.
        app.MapGet("/huge-complete-head", (HttpContext context) => WriteHugeAsync(context, """
            <html><head><title>Huge but complete</title><meta property="og:image" content="/og.png">
            <meta name="description" content="Everything a card needs is in the head."><meta name="author" content="Jane Doe">
            <meta property="article:published_time" content="2024-05-17T10:00:00Z"><meta property="og:site_name" content="Example">
            </head><body>
            """, "x"));

        // A head that names an og:image but lacks other fields: the body is read, up to the cap.
        app.MapGet("/huge-with-og", (HttpContext context) =>
            WriteHugeAsync(context, "<html><head><title>Huge OG</title><meta property=\"og:image\" content=\"/og.png\"></head><body>", "x"));

        // 1.5 MB of nested <div>: minutes of parser CPU without the nesting guard.
        app.MapGet("/nested", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                "<html><head><title>Nested</title><meta name=\"description\" content=\"A page nested 300,000 levels deep.\"></head><body>"
                + new StringBuilder(5 * 300_000).Insert(0, "<div>", 300_000));
        });

        app.MapGet("/bomb", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/html";
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(s_gzipBomb.Value, context.RequestAborted);
        });

        app.MapGet("/encoded/{encoding}/{name}", async (HttpContext context, string encoding, string name) =>
        {
            var raw = await File.ReadAllBytesAsync(Path.Combine(FixturesDirectory, "pages", name + ".html"));
            context.Response.ContentType = "text/html; charset=utf-8";
            // raw-deflate: a server that sends "deflate" without the zlib wrapper, as some do.
            context.Response.Headers.ContentEncoding = encoding == "raw-deflate" ? "deflate" : encoding;
            await context.Response.Body.WriteAsync(Compress(raw, encoding));
        });

        app.MapGet("/files/{name}", (HttpContext context, string name) =>
        {
            var (type, bytes, disposition) = name switch
            {
                "photo.png" => ("image/png", Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="), null),
                "report" => ("application/pdf", "%PDF-1.4\n%fake\n"u8.ToArray(), "attachment; filename=\"Quarterly report.pdf\""),
                "clip.mp4" => ("video/mp4", new byte[2048], null),
                "song%20one.mp3" or "song one.mp3" => ("audio/mpeg", new byte[1024], null),
                "data.bin" => ("application/octet-stream", new byte[512], null),
                _ => ("text/plain", Array.Empty<byte>(), (string?)null),
            };
            context.Response.ContentType = type;
            context.Response.ContentLength = bytes.Length;
            if (disposition is not null)
            {
                context.Response.Headers.ContentDisposition = disposition;
            }

            return context.Response.Body.WriteAsync(bytes).AsTask();
        });

        // Never answers; tells the test when its client hung up.
        app.MapGet("/hostile/hang/{id}", async (HttpContext context, string id) =>
        {
            var abandoned = _abandoned.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                abandoned.TrySetResult();
            }
        });

        // A page that answers just before the preview's deadline and points its oEmbed link at another host.
        app.MapGet("/hostile/late-oembed", async (HttpContext context, int delayMs, string target) =>
        {
            await Task.Delay(delayMs, context.RequestAborted);
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync(
                $"<html><head><title>late</title><link rel=alternate type=application/json+oembed href=\"{WebUtility.HtmlEncode(target)}\"></head></html>");
        });

        app.MapGet("/cache/{kind}", (HttpContext context, string kind) =>
        {
            switch (kind)
            {
                case "max-age":
                    context.Response.Headers.CacheControl = "public, max-age=3600";
                    break;
                case "s-maxage":
                    context.Response.Headers.CacheControl = "public, max-age=60, s-maxage=7200";
                    break;
                case "no-store":
                    context.Response.Headers.CacheControl = "no-store";
                    break;
                case "expires":
                    var now = DateTimeOffset.UtcNow;
                    context.Response.Headers.Date = now.ToString("R");
                    context.Response.Headers.Expires = now.AddHours(2).ToString("R");
                    break;
            }

            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html><head><title>cache</title></head></html>");
        });

        await app.StartAsync();
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// <paramref name="head"/>, then 6 MiB of <paramref name="filler"/> repeated, or as much of it as the client reads
    /// before it leaves.
    /// </summary>
    private static async Task WriteHugeAsync(HttpContext context, string head, string filler)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(head);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(filler, 64 * 1024 / filler.Length)));
        try
        {
            for (var written = 0L; written < 6L * 1024 * 1024; written += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static async Task ServeFile(HttpContext context, string relativePath, string contentType)
    {
        var path = Path.Combine(FixturesDirectory, relativePath);
        if (!File.Exists(path))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = contentType;
        await context.Response.SendFileAsync(path);
    }

    private static byte[] Compress(byte[] raw, string encoding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "raw-deflate" => new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => throw new ArgumentException(encoding),
        })
        {
            compressor.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>64 MiB of spaces after a page head, gzip-compressed to about 64 KiB.</summary>
    private static byte[] CreateBomb()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write("<html><head><title>bomb</title></head><body>"u8);
            var spaces = new byte[1024 * 1024];
            spaces.AsSpan().Fill((byte)' ');
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(spaces);
            }
        }

        return output.ToArray();
    }
}
