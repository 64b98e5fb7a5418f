using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Docs.Core;
using Stoa.Docs.Protocol;
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
        group.MapGet("/{id:guid}/access", GetAccessAsync).RequireServer();
        group.MapPut("/{id:guid}/access", SetAccessAsync).RequireServer();
        group.MapGet("/{id:guid}/live", DocSocketEndpoint.HandleAsync).AllowQueryCredentials(AuthLevel.User);
    }

    private static async Task<Created<CreatedDocResponse>> CreateAsync(Caller caller, CreateDocRequest? request, DocCatalog catalog,
        CancellationToken cancellationToken)
    {
        var mode = ParseAccess(request?.Access);
        var (id, snapshot, rule) = await catalog.CreateAsync(caller, request?.Text, mode, request?.Members, cancellationToken);
        return TypedResults.Created($"/v1/docs/{id}",
            new CreatedDocResponse(id, snapshot.Version, snapshot.Text, DocAccessRule.Name(rule.Mode), rule.CreatedBy));
    }

    private static async Task<Ok<DocResponse>> GetAsync(Guid id, Caller caller, DocCatalog catalog, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.ReadAsync(caller, id, cancellationToken);
        return TypedResults.Ok(new DocResponse(id, snapshot.Version, snapshot.Text));
    }

    private static async Task<Ok<OpsResponse>> GetOpsAsync(Guid id, Caller caller, DocCatalog catalog, long? from, int? limit,
        CancellationToken cancellationToken)
    {
        new Validation()
            .Range(from ?? 0, "from", 0, long.MaxValue)
            .Range(limit ?? MaxOpsPage, "limit", 1, MaxOpsPage)
            .ThrowIfInvalid();
        var (ops, head) = await catalog.ReadOpsAsync(caller, id, from ?? 0, limit ?? MaxOpsPage, cancellationToken);
        return TypedResults.Ok(new OpsResponse(head, [.. ops.Select(o => new OpResponse(o.Version, o.Op, o.ClientId, o.Seq, o.UserId))]));
    }

    private static async Task<Ok<SubmitOpResponse>> SubmitAsync(Guid id, Caller caller, SubmitOpRequest request, DocEditing editing,
        CancellationToken cancellationToken)
    {
        new Validation()
            .Require(request.BaseVersion is >= 0, "baseVersion", "is required and must be 0 or more")
            .Require(request.Seq is >= 0, "seq", "is required and must be 0 or more")
            .Require(request.Op.ValueKind == System.Text.Json.JsonValueKind.Array, "op", "is required and must be a text-unicode op (a JSON array)")
            .Require(ClientIds.IsValid(request.ClientId), "clientId", $"is required: {ClientIds.Rule}")
            .ThrowIfInvalid();
        TextOp op;
        try
        {
            op = TextOp.Parse(request.Op);
        }
        catch (OtException e)
        {
            throw DocErrors.Invalid(e);
        }

        var submission = new OpSubmission(request.BaseVersion!.Value, op, request.ClientId!, request.Seq!.Value);
        var result = await editing.SubmitAsync(caller, id, submission, cancellationToken);
        return TypedResults.Ok(new SubmitOpResponse(result.Version, result.Duplicate));
    }

    private static async Task<Ok<DocAccessResponse>> GetAccessAsync(Guid id, Caller caller, DocCatalog catalog, CancellationToken cancellationToken)
    {
        var (rule, members) = await catalog.GetAccessAsync(caller, id, cancellationToken);
        return TypedResults.Ok(new DocAccessResponse(DocAccessRule.Name(rule.Mode), rule.CreatedBy, members));
    }

    private static async Task<Ok<DocAccessResponse>> SetAccessAsync(Guid id, Caller caller, DocAccessRequest request, DocCatalog catalog,
        CancellationToken cancellationToken)
    {
        new Validation().Require(request.Access is not null, "access", "is required: \"app\" or \"members\"").ThrowIfInvalid();
        await catalog.SetAccessAsync(caller, id, ParseAccess(request.Access), request.Members ?? [], cancellationToken);
        return await GetAccessAsync(id, caller, catalog, cancellationToken);
    }

    private static AccessMode ParseAccess(string? access) => access is null
        ? AccessMode.App
        : DocAccessRule.Parse(access) ?? throw Validation.Failed("access", "must be \"app\" (every user of the app) or \"members\"");
}
