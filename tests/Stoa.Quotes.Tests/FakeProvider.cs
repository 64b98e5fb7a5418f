using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Testing;

namespace Stoa.Quotes.Tests;

/// <summary>
/// Plays a paid quote provider on loopback: Finnhub-shaped answers (<c>{"c": price, "d", "dp", "t"}</c>) by default,
/// and whatever failure a test sets with <see cref="Answer"/>. Counts the requests it got.
/// </summary>
public sealed class FakeProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeProvider(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string UrlTemplate => $"http://127.0.0.1:{Port}/api/v1/quote?symbol={{symbol}}";

    public int Requests => Volatile.Read(ref _requests);

    public decimal Price { get; set; } = 228.52m;

    public long Time { get; set; } = 1_700_000_000;

    /// <summary>Answers a request (the default: a good quote); replace to make the provider fail.</summary>
    public Func<HttpContext, Task>? Answer { get; set; }

    public static async Task<FakeProvider> StartAsync()
    {
        var port = TestPorts.GetFree();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var provider = new FakeProvider(app, port);
        app.Run(async context =>
        {
            Interlocked.Increment(ref provider._requests);
            if (context.Request.Headers["X-Finnhub-Token"] != "secret-token")
            {
                context.Response.StatusCode = 401;
                return;
            }

            await (provider.Answer ?? provider.GoodAsync)(context);
        });
        await app.StartAsync();
        return provider;
    }

    public Task GoodAsync(HttpContext context)
    {
        var symbol = context.Request.Query["symbol"].ToString();
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $$"""{"c":{{Price}},"d":1.25,"dp":0.55,"h":230,"l":227,"o":227.3,"pc":227.27,"t":{{Time}},"s":"{{symbol}}"}"""));
    }

    public static Task Status(HttpContext context, int status, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return Task.CompletedTask;
    }

    public static async Task Hang(HttpContext context)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public static Task Garbage(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("<html>upstream maintenance</html>");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
