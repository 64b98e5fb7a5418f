using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.RateLimiting;
using Stoa.Previews.Core;

namespace Stoa.Previews.Api;

/// <summary><c>GET /v1/previews?url=</c> (a card) and <c>POST /v1/previews/batch</c> (up to 20 URLs, errors per item).</summary>
internal static class PreviewsApi
{
    public const string RefreshRequiresServer = "refresh_requires_server";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var previews = endpoints.MapGroup("/v1/previews").WithTags("previews").RequireApp().RateLimit("previews");
        previews.MapGet("/", GetAsync)
            .WithName("previews_getPreview").WithSummary("The link card of a URL")
            .ProducesErrors(400, PreviewErrors.InvalidUrl)
            .ProducesErrors(403, RefreshRequiresServer)
            .ProducesErrors(422, PreviewErrors.UrlNotAllowed)
            .ProducesErrors(502, PreviewErrors.UpstreamUnreachable, PreviewErrors.UpstreamStatus, PreviewErrors.UpstreamTooLarge,
                PreviewErrors.UpstreamTooManyRedirects)
            .ProducesErrors(503, PreviewErrors.UpstreamCircuitOpen)
            .ProducesErrors(504, PreviewErrors.UpstreamTimeout);
        previews.MapPost("/batch", BatchAsync)
            .WithName("previews_batchPreviews").WithSummary("The link cards of up to 20 URLs, with an error per URL that has none");
    }

    private static async Task<Ok<LinkCard>> GetAsync([Required, Description("An absolute http or https URL.")] string? url,
        [Description("Fetch again, bypassing the cache (server token only).")] bool? refresh, Caller caller, LinkPreviewer previewer, CancellationToken ct) =>
        TypedResults.Ok(await CardAsync(url, refresh == true, caller, previewer, ct));

    private static async Task<Ok<BatchResponse>> BatchAsync(BatchRequest request, Caller caller, LinkPreviewer previewer, HttpContext context,
        CancellationToken ct) =>
        TypedResults.Ok(await CardsAsync(request.Urls, caller, previewer, extra => context.ChargeRateLimitAsync(extra, ct), ct));

    /// <summary>One card, or the URL's error; the REST route and the gRPC method both answer with it.</summary>
    public static async Task<LinkCard> CardAsync(string? url, bool refresh, Caller caller, LinkPreviewer previewer, CancellationToken ct)
    {
        new Validation().Require(!string.IsNullOrWhiteSpace(url), "url", "is required").ThrowIfInvalid();
        if (refresh && !caller.IsServer)
        {
            throw ApiException.Forbidden(RefreshRequiresServer, "Only the app's backend (a server token) may bypass the cache.");
        }

        return await previewer.PreviewAsync(caller.AppId, url!, refresh, ct);
    }

    /// <summary>
    /// Up to <see cref="PreviewPolicy.MaxBatch"/> cards with an error per URL; <paramref name="charge"/> takes the
    /// tokens beyond the one the limiter took, before any fetch.
    /// </summary>
    public static async Task<BatchResponse> CardsAsync(IReadOnlyList<string>? given, Caller caller, LinkPreviewer previewer,
        Func<int, ValueTask> charge, CancellationToken ct)
    {
        var urls = given ?? [];
        new Validation()
            .Require(urls.Count is > 0 and <= PreviewPolicy.MaxBatch, "urls", $"must hold 1 to {PreviewPolicy.MaxBatch} URLs")
            .Require(urls.All(u => !string.IsNullOrWhiteSpace(u)), "urls", "must not contain empty entries")
            .ThrowIfInvalid();

        // Each URL may cost an upstream fetch: a batch of n is charged as n previews (the limiter took one already).
        await charge(urls.Count - 1);

        var answers = await Task.WhenAll(urls.Select(u => previewer.AnswerAsync(caller.AppId, u, refresh: false, ct)));
        return new BatchResponse([.. urls.Zip(answers, (url, answer) =>
        {
            if (answer.Card is not null)
            {
                return new BatchItem(url, answer.Card, null);
            }

            var error = LinkPreviewer.ToApiException(answer);
            return new BatchItem(url, null, new BatchError(error.Status, error.Code, error.Message));
        })]);
    }
}
