using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Hosting;
using Stoa.Quotes.Core;
using Stoa.Quotes.Realtime;

namespace Stoa.Quotes.Api;

/// <summary>
/// <c>GET /v1/quotes/stream?symbols=AAPL,MSFT</c>: Server-Sent Events (<c>event: quote</c>, one JSON quote per event),
/// or the same JSON as WebSocket text messages when the request is a WebSocket upgrade. Credentials may come in the
/// query (<c>api_key</c>) since browsers cannot set headers on either. Streams end when the node starts draining, so
/// clients reconnect (through the balancer) to another node and get the current quotes first.
/// </summary>
internal static class QuoteStreamEndpoints
{
    public static RouteGroupBuilder MapQuoteStreams(this RouteGroupBuilder group)
    {
        group.MapGet("/stream", StreamAsync)
            .AllowQueryCredentials(AuthLevel.App)
            .WithName("StreamQuotes")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return group;
    }

    private static async Task StreamAsync(HttpContext context, string? symbols, Caller caller, QuotesOptions options)
    {
        var wanted = Symbols.ParseList(symbols, options.MaxSymbolsPerRequest);
        var services = context.RequestServices;
        var listener = new StreamListener(caller.AppId, wanted);
        var session = new QuoteStreamSession(listener, services.GetRequiredService<QuoteHub>(), services.GetRequiredService<IQuoteStore>(),
            TimeSpan.FromSeconds(options.HeartbeatSeconds));
        var drain = services.GetRequiredService<DrainState>();
        var time = services.GetRequiredService<TimeProvider>();
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            && context.Request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase))
        {
            // The module cannot add app-wide middleware, so the WebSocket handshake middleware runs for this endpoint only.
            var handshake = new WebSocketMiddleware(ctx => RunWebSocketAsync(ctx, session, drain, time),
                Options.Create(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(options.HeartbeatSeconds) }),
                services.GetRequiredService<ILoggerFactory>());
            await handshake.Invoke(context);
            return;
        }

        await RunSseAsync(context, session, drain, time);
    }

    private static async Task RunSseAsync(HttpContext context, QuoteStreamSession session, DrainState drain, TimeProvider time)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        // Tells nginx-style proxies not to buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.Draining);
        var body = response.BodyWriter;
        try
        {
            // Reconnect after a second when the stream ends (drain, network); the reconnect gets current quotes first.
            await body.WriteAsync("retry: 1000\n\n"u8.ToArray(), stop.Token);
            await body.FlushAsync(stop.Token);
            await session.RunAsync(
                (quote, ct) =>
                {
                    body.Write("event: quote\ndata: "u8);
                    using (var json = new Utf8JsonWriter(body))
                    {
                        JsonSerializer.Serialize(json, QuoteView.Of(quote, time.GetUtcNow()), QuotesJsonContext.Default.QuoteView);
                    }

                    body.Write("\n\n"u8);
                    return ValueTask.CompletedTask;
                },
                async ct =>
                {
                    await body.WriteAsync(": ping\n\n"u8.ToArray(), ct);
                    await body.FlushAsync(ct);
                },
                async ct => await body.FlushAsync(ct),
                stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client left or the node is draining: the stream simply ends.
        }
        catch (Exception ex) when (EngineFailures.IsUnavailable(ex))
        {
            // The engine went away: end the stream; the client reconnects after the advertised retry delay and is
            // sent the current quotes first, so nothing it needs is lost.
        }
    }

    private static async Task RunWebSocketAsync(HttpContext context, QuoteStreamSession session, DrainState drain, TimeProvider time)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.Draining);
        // The client sends nothing but close frames; reading them is what notices a close. The reader has its own
        // token: cancelling a pending receive aborts the socket, which would cut off our own close frame.
        using var readerStop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var reader = ReadUntilClosedAsync(socket, stop, readerStop.Token);
        var engineLost = false;
        try
        {
            await session.RunAsync(
                async (quote, ct) =>
                {
                    var bytes = JsonSerializer.SerializeToUtf8Bytes(QuoteView.Of(quote, time.GetUtcNow()), QuotesJsonContext.Default.QuoteView);
                    await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
                },
                _ => ValueTask.CompletedTask,
                _ => ValueTask.CompletedTask,
                stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (WebSocketException)
        {
            // The connection broke mid-send.
        }
        catch (Exception ex) when (EngineFailures.IsUnavailable(ex))
        {
            engineLost = true;
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            // Draining: "going away" tells the client to reconnect elsewhere; engine lost: "try again later";
            // otherwise answer the client's close.
            var (status, reason) = socket.State == WebSocketState.CloseReceived ? (WebSocketCloseStatus.NormalClosure, "")
                : engineLost ? ((WebSocketCloseStatus)1013, "try again later")
                : (WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
            try
            {
                using var closeDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(status, reason, closeDeadline.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        // Give the client a moment to answer our close frame, then stop reading.
        readerStop.CancelAfter(TimeSpan.FromSeconds(2));
        await reader;
    }

    private static async Task ReadUntilClosedAsync(WebSocket socket, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            try
            {
                await stop.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
