using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Testing;

namespace Stoa.Mentions.Tests;

/// <summary>
/// Plays the search engines: a Kestrel server on 127.0.0.1 serving the recorded-style result pages under Pages/.
/// The first path segment picks the answer, the rest is whatever the engine appends (<c>/ddg-results/html/?q=…</c>,
/// <c>/bing-results/search?q=…</c>), so a test points an engine's base URL at <c>{BaseUrl}/{page}/</c>.
/// </summary>
public sealed class SearchPagesServer : IAsyncLifetime
{
    /// <summary>
    /// The pages are read from the source tree (this file's folder) because the test project does not copy them to
    /// the output; a copy next to the test assembly, if someone adds one, wins.
    /// </summary>
    private static readonly string s_pagesDirectory = FindPages();

    private readonly ConcurrentDictionary<string, RecordedRequest> _lastRequests = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public int Port { get; } = TestPorts.GetFree();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Where an engine's base URL should point for <paramref name="page"/>.</summary>
    public Uri EngineBase(string page) => new($"{BaseUrl}/{page}/");

    public RecordedRequest? LastRequest(string page) => _lastRequests.GetValueOrDefault(page);

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.MapGet("/{page}/{**rest}", ServeAsync);
        await _app.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task ServeAsync(HttpContext context, string page)
    {
        _lastRequests[page] = new RecordedRequest(
            context.Request.Path + context.Request.QueryString,
            context.Request.Query["q"].ToString(),
            context.Request.Headers.UserAgent.ToString(),
            context.Request.Headers.AcceptLanguage.ToString());

        var aborted = context.RequestAborted;
        switch (page)
        {
            case "status-403" or "status-429" or "status-503":
                context.Response.StatusCode = int.Parse(page.AsSpan(7), provider: null);
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<html><body><h1>Go away</h1></body></html>", aborted);
                return;
            case "stall-headers":
                await StallAsync(aborted);
                return;
            case "stall-body":
                // Headers and the start of a page, then nothing: only a deadline covering the body notices.
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<html><body><div class=\"serp__results\"><div id=\"links\">", aborted);
                await context.Response.Body.FlushAsync(aborted);
                await StallAsync(aborted);
                return;
            case "json":
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"results\":[]}", aborted);
                return;
            case "bing-captcha-redirect":
                context.Response.Redirect("/turing/captcha/challenge?rurl=%2fsearch%3fq%3dchat%2bapi");
                return;
            case "turing":
                await ServeFileAsync(context, "bing-captcha", StatusCodes.Status200OK);
                return;
            case "ddg-anomaly":
                // DuckDuckGo answers its bot challenge with 202 Accepted, not an error status.
                await ServeFileAsync(context, page, StatusCodes.Status202Accepted);
                return;
            default:
                await ServeFileAsync(context, page, StatusCodes.Status200OK);
                return;
        }
    }

    private static async Task ServeFileAsync(HttpContext context, string page, int status)
    {
        var path = Path.Combine(s_pagesDirectory, page + ".html");
        if (!File.Exists(path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.SendFileAsync(path, context.RequestAborted);
    }

    private static async Task StallAsync(CancellationToken aborted)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, which is the point.
        }
    }

    private static string FindPages([CallerFilePath] string sourceFile = "")
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Pages");
        var source = Path.Combine(Path.GetDirectoryName(sourceFile) ?? ".", "Pages");
        return Directory.Exists(copied) ? copied
            : Directory.Exists(source) ? source
            : throw new DirectoryNotFoundException($"Recorded result pages not found in {copied} or {source}.");
    }
}

/// <summary>What the server saw of the last request for a page: the engines must say who they are and what they want.</summary>
public sealed record RecordedRequest(string PathAndQuery, string Query, string UserAgent, string AcceptLanguage);
