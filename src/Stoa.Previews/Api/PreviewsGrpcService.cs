using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Stoa.Foundation.Grpc;
using Stoa.Foundation.RateLimiting;
using Stoa.Previews.Core;

namespace Stoa.Previews.Api;

/// <summary>
/// <c>stoa.v1.Previews</c>: the REST routes' handlers (<see cref="PreviewsApi.CardAsync"/>,
/// <see cref="PreviewsApi.CardsAsync"/>) with messages for JSON, under the same app key and <c>previews</c> limit.
/// Comments on nodes without previews unfurl links through it (Stoa.Server's gRPC link previewer).
/// </summary>
internal sealed class PreviewsGrpcService(LinkPreviewer previewer) : Grpc.V1.Previews.PreviewsBase
{
    public static void MapPreviewsGrpc(IEndpointRouteBuilder endpoints)
    {
        var service = endpoints.MapStoaGrpcService<PreviewsGrpcService>().RateLimit("previews");
        // As GET /v1/previews: let through when the limiter's engine does not answer (the batch, a POST, is not).
        service.Method(nameof(GetPreview)).ReadOnly();
    }

    public override async Task<Grpc.V1.LinkCard> GetPreview(Grpc.V1.GetPreviewRequest request, ServerCallContext context) =>
        LinkCardMessages.ToMessage(await PreviewsApi.CardAsync(request.Url, request.Refresh, context.Caller(), previewer, context.CancellationToken));

    public override async Task<Grpc.V1.BatchPreviewsResponse> BatchPreviews(Grpc.V1.BatchPreviewsRequest request, ServerCallContext context) =>
        LinkCardMessages.ToMessage(await PreviewsApi.CardsAsync(request.Urls, context.Caller(), previewer, context.ChargeRateLimitAsync,
            context.CancellationToken));
}
