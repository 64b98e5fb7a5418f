using Grpc.Core;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Grpc;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.RateLimiting;
using Stoa.Foundation.Realtime;
using Stoa.Quotes.Core;
using Stoa.Quotes.Realtime;

namespace Stoa.Quotes.Api;

/// <summary>
/// <c>stoa.v1.Quotes</c> for app backends: each method is its REST twin's handler with messages for JSON, calling the
/// same <see cref="QuoteService"/> and stream cursor; auth and rate limits are declared in <see cref="MapQuotesGrpc"/>
/// with the REST routes' policies.
/// </summary>
internal sealed class QuotesGrpcService(QuoteService quotes, QuotesOptions options, RealtimeHub hub, DrainState drain, TimeProvider time)
    : Grpc.V1.Quotes.QuotesBase
{
    /// <summary>How long a watch waits for a tick before looking again; gRPC's own HTTP/2 pings keep idle streams alive.</summary>
    private static readonly TimeSpan s_idle = TimeSpan.FromSeconds(15);

    public static void MapQuotesGrpc(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints)
    {
        var service = endpoints.MapStoaGrpcService<QuotesGrpcService>();
        service.Method(nameof(GetQuote)).RequireApp().RateLimit("reads").ReadOnly();
        service.Method(nameof(PutQuote)).RequireServer().RateLimit(QuotesApi.WritePolicy);
        service.Method(nameof(WatchQuotes)).RequireApp().RateLimit("default").ReadOnly();
    }

    public override async Task<Grpc.V1.Quote> GetQuote(Grpc.V1.GetQuoteRequest request, ServerCallContext context)
    {
        var quote = await quotes.GetAsync(context.Caller().AppId, Symbols.Parse(request.Symbol), context.CancellationToken);
        return QuoteMessages.ToMessage(quote, time.GetUtcNow());
    }

    public override async Task<Grpc.V1.Quote> PutQuote(Grpc.V1.PutQuoteRequest request, ServerCallContext context)
    {
        var input = QuoteMessages.ToRequest(request).ToInput(request.Symbol);
        var quote = await quotes.PutAsync(context.Caller().AppId, input, context.CancellationToken);
        return QuoteMessages.ToMessage(quote, time.GetUtcNow());
    }

    public override async Task WatchQuotes(Grpc.V1.WatchQuotesRequest request, IServerStreamWriter<Grpc.V1.Quote> responseStream, ServerCallContext context)
    {
        var listener = new StreamListener(context.Caller().AppId, Symbols.ParseList(request.Symbols, options.MaxSymbolsPerRequest));
        await using var membership = await listener.JoinAsync(hub, context.CancellationToken);
        var cursor = new QuoteStreamCursor(listener, quotes.Store, quotes.Resolver);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, drain.Draining);
        try
        {
            while (true)
            {
                foreach (var quote in await cursor.TakeAsync(s_idle, stop.Token))
                {
                    await responseStream.WriteAsync(QuoteMessages.ToMessage(quote, time.GetUtcNow()), stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (drain.IsDraining && !context.CancellationToken.IsCancellationRequested)
        {
            // As SSE streams end on a drain: the client reconnects, through the balancer, to another node.
            throw new ApiException(503, FoundationErrors.ShuttingDown, "This node is shutting down; watch again.") { RetryAfterSeconds = 1 };
        }
    }
}
