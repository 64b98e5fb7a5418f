using Microsoft.AspNetCore.Http;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Health;

namespace Stoa.Foundation.Hosting;

/// <summary>
/// Once the node has stopped listening, a request that still arrives on a kept-alive connection is refused with a
/// 503 and <c>Connection: close</c>, so the client retries on another node instead of racing the shutdown.
/// </summary>
internal sealed class DrainingMiddleware(RequestDelegate next, DrainState drain)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Probes and scrapes keep working to the end: they are how operators watch the node go.
        if (!drain.IsStopping || HealthEndpoints.IsHealthPath(context.Request.Path) || context.Request.Path.StartsWithSegments("/metrics"))
        {
            return next(context);
        }

        context.Response.Headers.Connection = "close";
        return ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, FoundationErrors.ShuttingDown,
            "This node is shutting down; retry the request.", retryAfterSeconds: 1);
    }
}
