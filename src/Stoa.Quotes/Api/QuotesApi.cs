using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.RateLimiting;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Api;

/// <summary>The REST side of <c>/v1/quotes</c>; the streams are in <see cref="QuoteStreamEndpoints"/>.</summary>
internal static class QuotesApi
{
    public const string WritePolicy = "quote-pushes";

    public static RouteGroupBuilder MapQuotesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/quotes").WithTags("quotes");
        group.MapGet("/{symbol}", GetAsync).RequireApp().RateLimit("reads")
            .WithName("quotes_getQuote").WithSummary("The latest quote of a symbol, from the node's memory")
            .ProducesErrors(400, QuoteErrors.InvalidSymbol)
            .ProducesErrors(404, QuoteErrors.QuoteNotFound);
        group.MapGet("/", ListAsync).RequireApp().RateLimit("reads")
            .WithName("quotes_listQuotes").WithSummary("The latest quotes of several symbols, and the symbols that have none")
            .ProducesErrors(400, QuoteErrors.InvalidSymbol, QuoteErrors.TooManySymbols);
        group.MapPut("/{symbol}", PutAsync).RequireServer().RateLimit(WritePolicy)
            .WithName("quotes_putQuote").WithSummary("Push the app's own price of a symbol (server token)")
            .ProducesErrors(400, QuoteErrors.InvalidSymbol)
            .ProducesErrors(409, QuoteErrors.QuoteSuperseded);
        group.MapDelete("/{symbol}", DeleteAsync).RequireServer().RateLimit(WritePolicy)
            .WithName("quotes_deleteQuote").WithSummary("Remove the app's own price of a symbol (server token)")
            .ProducesErrors(400, QuoteErrors.InvalidSymbol)
            .ProducesErrors(404, FoundationErrors.NotFound);

        // "stream" is the stream's path, not a symbol: a write there is a 405 (the literal segment wins over {symbol}),
        // not a quote that GET /v1/quotes/stream could never read.
        group.MapMethods("/stream", [HttpMethods.Put, HttpMethods.Delete], (HttpContext context) =>
        {
            context.Response.Headers.Allow = HttpMethods.Get;
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        }).AllowAnonymous().DisableRateLimit().ExcludeFromDescription();
        return group;
    }

    private static async ValueTask<Ok<QuoteView>> GetAsync([RegularExpression(Symbols.Pattern)] string symbol, Caller caller, QuoteService quotes, TimeProvider time,
        HttpContext context, CancellationToken cancellationToken)
    {
        var quote = await quotes.GetAsync(caller.AppId, Symbols.Parse(symbol), cancellationToken);
        var view = QuoteView.Of(quote, time.GetUtcNow());
        // Age is the standard header (seconds); the body carries milliseconds.
        context.Response.Headers.Age = (view.AgeMs / 1000).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<QuoteListView>> ListAsync(
        [Required, RegularExpression(Symbols.ListPattern), Description("Comma-separated symbols: AAPL,MSFT.")] string? symbols, Caller caller, QuoteService quotes, QuotesOptions options,
        TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var wanted = Symbols.ParseList(symbols, options.MaxSymbolsPerRequest);
        // A read of n symbols does the work of n reads, and is charged like them.
        await context.ChargeRateLimitAsync(wanted.Count - 1, cancellationToken);
        var found = new List<QuoteView>(wanted.Count);
        var missing = new List<string>();
        var now = time.GetUtcNow();
        foreach (var symbol in wanted)
        {
            if (await quotes.FindAsync(caller.AppId, symbol, cancellationToken) is { } quote)
            {
                found.Add(QuoteView.Of(quote, now));
            }
            else
            {
                missing.Add(symbol);
            }
        }

        return TypedResults.Ok(new QuoteListView(found, missing));
    }

    private static async Task<Ok<QuoteView>> PutAsync([RegularExpression(Symbols.Pattern)] string symbol, PutQuoteRequest request, Caller caller, QuoteService quotes,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var quote = await quotes.PutAsync(caller.AppId, request.ToInput(symbol), cancellationToken);
        return TypedResults.Ok(QuoteView.Of(quote, time.GetUtcNow()));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync([RegularExpression(Symbols.Pattern)] string symbol, Caller caller, QuoteService quotes, CancellationToken cancellationToken) =>
        await quotes.DeleteAsync(caller.AppId, Symbols.Parse(symbol), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
