using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Docs.Core;
using Stoa.Docs.Relay;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Hosting;

namespace Stoa.Docs.Api;

/// <summary>
/// <c>GET /v1/docs/{id}/live?clientId=…[&amp;from=version]</c>: the WebSocket of one client session. Everything that
/// can be refused (auth, a bad query, an unknown document) is refused as problem+json before the upgrade.
/// </summary>
internal static class DocSocketEndpoint
{
    public static async Task HandleAsync(HttpContext context, Guid id, Caller caller, DocService docs, DocRelay relay, DrainState drain,
        ILoggerFactory loggers, string? clientId, long? from)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new ApiException(400, FoundationErrors.BadRequest, "This endpoint speaks WebSocket only (see docs/docs-protocol.md).");
        }

        var validation = new Validation().Range(from ?? 0, "from", 0, long.MaxValue);
        DocClientIds.Validate(validation, clientId, "clientId");
        validation.ThrowIfInvalid();

        var channel = await relay.AcquireAsync(caller.AppId, id);
        try
        {
            if (from is { } after && after > channel.Version)
            {
                // Throws version_ahead (409) unless the store has reached that version (the relay may lag behind it).
                await docs.GetOpsAsync(caller.AppId, id, after, 1, context.RequestAborted);
            }

            var session = new DocSocket(channel, docs, caller, clientId!, docs.Options.SocketQueueLength, loggers.CreateLogger<DocSocket>());
            await session.RunAsync(context, from, drain);
        }
        finally
        {
            await relay.ReleaseAsync(caller.AppId, id, channel);
        }
    }
}
