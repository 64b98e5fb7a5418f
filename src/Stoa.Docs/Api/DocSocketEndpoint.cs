using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoa.Docs.Core;
using Stoa.Docs.Protocol;
using Stoa.Docs.Relay;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Hosting;

namespace Stoa.Docs.Api;

/// <summary>
/// <c>GET /v1/docs/{id}/live?clientId=…[&amp;from=version]</c>: the WebSocket of one client session. Everything that
/// can be refused (auth, a bad query, an unknown or forbidden document, a client id of another user, a version ahead of
/// the document or compacted away) is refused as problem+json before the upgrade.
/// </summary>
internal static class DocSocketEndpoint
{
    public static async Task HandleAsync(HttpContext context, Guid id, Caller caller, DocCatalog catalog, DocEditing editing, DocAccessControl access,
        ClientBindings clients, DocSequencers sequencers, DocRelay relay, DrainState drain, IOptions<DocOptions> options, TimeProvider time,
        ILoggerFactory loggers,
        [RegularExpression(ClientIds.Pattern), Description("This editing session's id (required).")] string? clientId,
        [Range(typeof(long), "0", "9223372036854775807"), Description("Resume after this version: the ops after it come first.")] long? from)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new ApiException(400, FoundationErrors.BadRequest, "This endpoint speaks WebSocket only (see docs/docs-protocol.md).");
        }

        new Validation()
            .Range(from ?? 0, "from", 0, long.MaxValue)
            .Require(ClientIds.IsValid(clientId), "clientId", $"is required: {ClientIds.Rule}")
            .ThrowIfInvalid();
        var aborted = context.RequestAborted;
        await access.CheckAsync(caller, id, aborted);
        await clients.ClaimAsync(caller, id, clientId!, aborted);
        if (from is { } after)
        {
            // Refuses a version ahead of the document (409 version_ahead) or older than its op log (409 version_too_old).
            await catalog.ReadOpsAsync(caller.AppId, id, after, 1, aborted);
        }

        var channel = await relay.AcquireAsync(caller.AppId, id);
        try
        {
            var session = new DocSocket(channel, editing, caller, clientId!, options.Value, time, loggers.CreateLogger<DocSocket>());
            await session.RunAsync(context, from, ct => sequencers.For(caller.AppId, id).ReadAsync(ct), drain);
        }
        finally
        {
            await relay.ReleaseAsync(caller.AppId, id, channel);
        }
    }
}
