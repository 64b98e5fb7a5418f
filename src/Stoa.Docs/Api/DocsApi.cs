using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Docs.Core;
using Stoa.Docs.Protocol;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.OpenApi;
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
        group.MapPost("/", CreateAsync)
            .WithName("docs_createDoc").WithSummary("Create a document, optionally with a text and an access rule")
            .ProducesErrors(403, AuthErrors.ServerTokenRequired, DocErrors.StorageQuotaExceeded)
            .ProducesErrors(422, DocErrors.DocTooLarge);
        var document = group.MapGroup("/{id:guid}").ProducesErrors(404, DocErrors.DocNotFound, FoundationErrors.NotFound)
            .ProducesErrors(403, DocErrors.DocForbidden);
        document.MapGet("/", GetAsync)
            .WithName("docs_getDoc").WithSummary("Read a document's text at its current version");
        document.MapGet("/ops", GetOpsAsync)
            .WithName("docs_listOps").WithSummary("Read the ops committed after a version, oldest first, a page at a time")
            .ProducesErrors(409, DocErrors.VersionAhead, DocErrors.VersionTooOld);

        // The docs module's own per-user op bucket applies (shared with the WebSocket path), not the request limiter.
        document.MapPost("/ops", SubmitAsync).DisableRateLimit()
            .WithName("docs_submitOp").WithSummary("Submit an op made at a version; answers the version it was committed at")
            .ProducesErrors(400, DocErrors.OpInvalid)
            .ProducesErrors(403, DocErrors.ClientIdTaken, DocErrors.StorageQuotaExceeded)
            .ProducesErrors(409, DocErrors.VersionAhead, DocErrors.VersionTooOld)
            .ProducesErrors(413, DocErrors.OpTooLarge)
            .ProducesErrors(422, DocErrors.DocTooLarge)
            .ProducesErrors(429, DocErrors.RateLimited)
            .ProducesErrors(503, DocErrors.DocBusy);
        document.MapGet("/access", GetAccessAsync).RequireServer()
            .WithName("docs_getAccess").WithSummary("Read who may open the document (server token)");
        document.MapPut("/access", SetAccessAsync).RequireServer()
            .WithName("docs_setAccess").WithSummary("Set who may open the document (server token)");
        document.MapGet("/live", DocSocketEndpoint.HandleAsync).AllowQueryCredentials(AuthLevel.User)
            .WithName("docs_openLive").WithSummary("Edit live over a WebSocket (docs/docs-protocol.md)")
            .ProducesWebSocket("A WebSocket of JSON text messages (docs/docs-protocol.md): the server sends the document or the ops "
                + "after `from`, then every committed op, acks of the client's ops and presence; the client sends ops and its cursor.")
            .ProducesErrors(400, FoundationErrors.BadRequest)
            .ProducesErrors(403, DocErrors.ClientIdTaken)
            .ProducesErrors(409, DocErrors.VersionAhead, DocErrors.VersionTooOld);
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

    private static async Task<Ok<OpsResponse>> GetOpsAsync(Guid id, Caller caller, DocCatalog catalog,
        [Range(typeof(long), "0", "9223372036854775807"), Description("Answer the ops after this version; 0 when omitted.")] long? from,
        [Range(1, MaxOpsPage), Description("Ops per page at most; 1000 when omitted.")] int? limit,
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
