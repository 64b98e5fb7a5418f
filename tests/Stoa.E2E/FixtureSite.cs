using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Stoa.E2E;

/// <summary>
/// A local web site playing "the internet": for the previews panel, an article with Open Graph tags and the PNG its
/// og:image names, on a loopback port the app under test is allowed to fetch from; for the cross-origin tests, a
/// page of "someone's own app" (<see cref="AppPageUrl"/>), whose origin is not the node's.
/// </summary>
public sealed class FixtureSite : IAsyncDisposable
{
    public const string ArticleTitle = "Stoa fixture: a page with a card";
    public const string ArticleDescription = "Served by the E2E tests on loopback, fetched by the previews module.";

    private readonly WebApplication _app;

    private FixtureSite(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public Uri ArticleUrl => new(BaseAddress, "/article");

    public Uri AppPageUrl => new(BaseAddress, "/app");

    /// <summary>The origin a browser sends from <see cref="AppPageUrl"/>.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    public static async Task<FixtureSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var image = Png(600, 315);
        app.MapGet("/article", (HttpContext context) =>
        {
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Content($"""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <title>Fallback title</title>
                <meta property="og:title" content="{ArticleTitle}">
                <meta property="og:description" content="{ArticleDescription}">
                <meta property="og:site_name" content="Fixture Site">
                <meta property="og:type" content="article">
                <meta property="og:image" content="{origin}/card.png">
                <meta property="og:image:width" content="600">
                <meta property="og:image:height" content="315">
                <meta property="og:image:alt" content="A gradient">
                </head><body><h1>Fixture</h1></body></html>
                """, "text/html; charset=utf-8");
        });
        app.MapGet("/card.png", () => Results.Bytes(image, "image/png"));
        app.MapGet("/app", () => Results.Content("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Someone's own app</title></head>
            <body><h1>An app on another origin</h1></body></html>
            """, "text/html; charset=utf-8"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new FixtureSite(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>An RGB PNG with a diagonal gradient, encoded by hand (the BCL has zlib but no image encoder).</summary>
    private static byte[] Png(int width, int height)
    {
        var raw = new byte[height * ((width * 3) + 1)];
        var i = 0;
        for (var y = 0; y < height; y++)
        {
            raw[i++] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                raw[i++] = (byte)(40 + (160 * x / width));
                raw[i++] = (byte)(90 + (100 * y / height));
                raw[i++] = 200;
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        png.Write(typed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
