using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Auth;

/// <summary>
/// The CORS answers, given by ASP.NET Core's CORS middleware before authentication. A preflight carries no API key, so
/// it cannot be checked against an app: every origin's preflight of a <c>/v1</c> route is answered, and the request that
/// follows is checked against its app's <see cref="AppOrigins"/> by the authentication middleware
/// (<c>403 origin_not_allowed</c>, readable by the page because it carries the CORS headers too). The development
/// endpoints answer loopback pages only. Nothing else (health, metrics, the demo page) is offered to other origins.
/// </summary>
internal sealed class CrossOriginPolicy : ICorsPolicyProvider
{
    /// <summary>Response headers a page on another origin may read: rate limits, retry hints, the trace id, replays.</summary>
    public static readonly string[] ExposedHeaders =
    [
        "X-RateLimit-Limit", "X-RateLimit-Remaining", HeaderNames.RetryAfter, RequestLogMiddleware.TraceIdHeader,
        HeaderNames.Location, "Idempotent-Replayed",
    ];

    /// <summary>Request headers a page may send: credentials, JSON bodies, idempotent creates, stream resumes, tracing.</summary>
    public static readonly string[] AllowedHeaders =
    [
        "X-Api-Key", HeaderNames.Authorization, HeaderNames.ContentType, "Idempotency-Key", "Last-Event-ID",
        "traceparent", "tracestate",
    ];

    private static readonly string[] s_methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    private static readonly Task<CorsPolicy?> s_api = Task.FromResult<CorsPolicy?>(Build(_ => true));
    private static readonly Task<CorsPolicy?> s_loopbackOnly = Task.FromResult<CorsPolicy?>(Build(AppOrigins.Loopback.Allows));
    private static readonly Task<CorsPolicy?> s_none = Task.FromResult<CorsPolicy?>(null);

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var path = context.Request.Path;
        return path.StartsWithSegments("/v1", StringComparison.Ordinal) ? s_api
            : path.StartsWithSegments("/dev", StringComparison.Ordinal) ? s_loopbackOnly
            : s_none;
    }

    private static CorsPolicy Build(Func<string, bool> isOriginAllowed)
    {
        var policy = new CorsPolicy
        {
            IsOriginAllowed = isOriginAllowed,
            // Browsers cache a preflight per URL: an hour spares most repeats (Chromium caps it at two).
            PreflightMaxAge = TimeSpan.FromHours(1),
        };
        // With IsOriginAllowed (and no "*" in Origins) the origin is echoed and Vary: Origin sent, so caches keep
        // answers per origin.
        foreach (var method in s_methods)
        {
            policy.Methods.Add(method);
        }

        foreach (var header in AllowedHeaders)
        {
            policy.Headers.Add(header);
        }

        foreach (var header in ExposedHeaders)
        {
            policy.ExposedHeaders.Add(header);
        }

        return policy;
    }
}
