using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Docs.Core;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.RateLimiting;
using Stoa.Ot;

namespace Stoa.Docs.Api;

/// <summary>The HTTP side of the module: <c>/v1/docs</c>.</summary>
internal static class DocsApi
{
    private const int MaxOpsPage = 1_000;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/docs").RequireUser().WithTags("docs");
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapGet("/{id:guid}/ops", GetOpsAsync);

        // The docs module's own per-user op bucket applies (shared with the WebSocket path), not the request limiter.
        group.MapPost("/{id:guid}/ops", SubmitAsync).DisableRateLimit();
        group.MapGet("/{id:guid}/live", DocSocketEndpoint.HandleAsync).AllowQueryCredentials(AuthLevel.User);
    }

    private static async Task<Created<DocResponse>> CreateAsync(Caller caller, CreateDocRequest? request, DocService docs, CancellationToken cancellationToken)
    {
        var (id, snapshot) = await docs.CreateAsync(caller.AppId, caller.UserId, request?.Text, cancellationToken);
        return TypedResults.Created($"/v1/docs/{id}", new DocResponse(id, snapshot.Version, snapshot.Text));
    }

    private static async Task<Ok<DocResponse>> GetAsync(Guid id, Caller caller, DocService docs, CancellationToken cancellationToken)
    {
        var snapshot = await docs.GetAsync(caller.AppId, id, cancellationToken);
        return TypedResults.Ok(new DocResponse(id, snapshot.Version, snapshot.Text));
    }

    private static async Task<Ok<OpsResponse>> GetOpsAsync(Guid id, Caller caller, DocService docs, long? from, int? limit, CancellationToken cancellationToken)
    {
        new Validation()
            .Range(from ?? 0, "from", 0, long.MaxValue)
            .Range(limit ?? MaxOpsPage, "limit", 1, MaxOpsPage)
            .ThrowIfInvalid();
        var (ops, head) = await docs.GetOpsAsync(caller.AppId, id, from ?? 0, limit ?? MaxOpsPage, cancellationToken);
        return TypedResults.Ok(new OpsResponse(head, [.. ops.Select(o => new OpResponse(o.Version, o.Op, o.ClientId, o.Seq, o.UserId))]));
    }

    private static async Task<Ok<SubmitOpResponse>> SubmitAsync(Guid id, Caller caller, SubmitOpRequest request, DocService docs, CancellationToken cancellationToken)
    {
        var validation = new Validation()
            .Require(request.BaseVersion is >= 0, "baseVersion", "is required and must be 0 or more")
            .Require(request.Seq is >= 0, "seq", "is required and must be 0 or more")
            .Require(request.Op.ValueKind == System.Text.Json.JsonValueKind.Array, "op", "is required and must be a text-unicode op (a JSON array)");
        DocClientIds.Validate(validation, request.ClientId, "clientId");
        validation.ThrowIfInvalid();
        TextOp op;
        try
        {
            op = TextOp.Parse(request.Op);
        }
        catch (OtException e)
        {
            throw DocErrors.Invalid(e);
        }

        docs.CheckSize(op);
        await docs.CheckRateAsync(caller.AppId, caller.UserId, cancellationToken);
        var result = await docs.SubmitAsync(caller.AppId, id, caller.UserId, request.BaseVersion!.Value, op, request.ClientId!, request.Seq!.Value, cancellationToken);
        return TypedResults.Ok(new SubmitOpResponse(result.Version, result.Duplicate));
    }
}
