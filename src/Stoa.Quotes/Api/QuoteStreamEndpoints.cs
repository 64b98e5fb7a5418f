using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.Realtime;
using Stoa.Quotes.Core;
using Stoa.Quotes.Realtime;

namespace Stoa.Quotes.Api;

/// <summary>
/// <c>GET /v1/quotes/stream?symbols=AAPL,MSFT</c>: Server-Sent Events (<c>event: quote</c>, one JSON quote per event),
/// or the same JSON as WebSocket text messages when the request is a WebSocket upgrade. Credentials may come in the
/// query (<c>api_key</c>) since browsers cannot set headers on either. A quote stream is "latest value": a client that
/// reconnects (after a drain, which ends every stream, or a network break) is sent the current quotes first, so its
/// events carry no ids to resume from.
/// </summary>
internal static class QuoteStreamEndpoints
{
    public static RouteGroupBuilder MapQuoteStreams(this RouteGroupBuilder group)
    {
        group.MapGet("/stream", StreamAsync)
            .AllowQueryCredentials(AuthLevel.App)
            .WithName("quotes_streamQuotes").WithSummary("Live quotes of some symbols (Server-Sent Events, or a WebSocket)")
            .ProducesErrors(400, QuoteErrors.InvalidSymbol, QuoteErrors.TooManySymbols)
            .ProducesEventStream("Server-Sent Events `quote`, whose data is a `QuoteView`, starting with the current quote of each "
                + "symbol; comment lines as heartbeats. A WebSocket upgrade gets the same JSON as text messages. Events carry no id: "
                + "a client that reconnects is sent the current quotes first.", typeof(QuoteView))
            .ProducesWebSocket("The same quotes as WebSocket text messages (a `QuoteView` each); the client sends only close frames.");
        return group;
    }

    private static async Task StreamAsync(HttpContext context,
        [Required, RegularExpression(Symbols.ListPattern), Description("Comma-separated symbols: AAPL,MSFT.")] string? symbols, Caller caller, QuotesOptions options, RealtimeHub hub,
        IQuoteStore store, QuoteService quotes, DrainState drain, TimeProvider time)
    {
        var listener = new StreamListener(caller.AppId, Symbols.ParseList(symbols, options.MaxSymbolsPerRequest));
        await using var membership = await listener.JoinAsync(hub, context.RequestAborted);
        var outbox = new QuoteStreamOutbox(new QuoteStreamCursor(listener, store, quotes.Resolver), time);
        var heartbeat = TimeSpan.FromSeconds(options.HeartbeatSeconds);
        if (context.WebSockets.IsWebSocketRequest)
        {
            // Clients send nothing but close frames.
            await WebSocketSession.RunAsync(context, outbox, new WebSocketSessionOptions(heartbeat, MaxMessageBytes: 256), drain);
        }
        else
        {
            await SseStream.RunAsync(context, outbox, new SseStreamOptions(TimeSpan.FromSeconds(1), heartbeat), drain);
        }
    }
}
