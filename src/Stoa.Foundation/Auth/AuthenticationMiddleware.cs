using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Stoa.Foundation.Errors;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Foundation.Auth;

/// <summary>
/// Establishes the <see cref="Caller"/> before the endpoint runs (and before its body is read), from the endpoint's
/// <see cref="AuthRequirement"/>. Any <c>/v1</c> endpoint that declares nothing requires an app key: forgetting a
/// declaration must not make an endpoint public. A key this node does not hold in memory costs a store query, so those
/// lookups are rate-limited per client address (<see cref="RateLimitOptions.AuthPolicy"/>) before they are made: a
/// flood of made-up keys gets 429s, not a store query each.
/// </summary>
internal sealed class AuthenticationMiddleware(
    RequestDelegate next, AppDirectory apps, TimeProvider time, LocalRateLimitBuckets buckets, IOptionsMonitor<RateLimitOptions> limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // No endpoint: the request ends in a 404/405 anyway, which needs no credentials.
        var endpoint = context.GetEndpoint();
        var requirement = endpoint is null
            ? new AuthRequirement(AuthLevel.Anonymous)
            : AuthRequirement.Of(endpoint.Metadata, context.Request.Path.StartsWithSegments("/v1"));
        if (requirement.Level == AuthLevel.Anonymous)
        {
            await next(context);
            return;
        }

        var apiKey = Credential(context, "X-Api-Key", "api_key", requirement);
        if (string.IsNullOrEmpty(apiKey))
        {
            await Refuse(context, 401, AuthErrors.MissingApiKey, "Send the app's API key in the X-Api-Key header.");
            return;
        }

        if (!apps.TryGetCached(apiKey, out var app))
        {
            if (ThrottleLookup(context) is { } wait)
            {
                await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, FoundationErrors.RateLimited,
                    "Too many requests with API keys this node does not know yet from this address; retry later.", retryAfterSeconds: wait);
                return;
            }

            app = await apps.FindAsync(apiKey, context.RequestAborted);
        }

        if (app is null)
        {
            await Refuse(context, 401, AuthErrors.InvalidApiKey, "The API key is not known.");
            return;
        }

        if (RefusedOrigin(context, app) is { } origin)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, AuthErrors.OriginNotAllowed,
                $"Pages on {origin} may not use this app's key: add the origin to the app's allowed origins "
                + $"(stoa apps origins add <api-key> {origin}, or PUT /v1/app/origins with a server token).");
            return;
        }

        var token = BearerToken(context, requirement);
        JwtClaims? claims = null;
        if (token is not null)
        {
            if (!JwtValidator.TryValidate(token, app.ValidSecrets(time.GetUtcNow()), time.GetUtcNow(), out claims, out var failure))
            {
                await Refuse(context, 401, failure!.Code, failure.Message);
                return;
            }
        }
        else if (context.Request.Headers.Authorization.Count > 0)
        {
            await Refuse(context, 401, AuthErrors.TokenMalformed, "The Authorization header must be \"Bearer <token>\".");
            return;
        }

        if (requirement.Level >= AuthLevel.User && claims is null)
        {
            await Refuse(context, 401, AuthErrors.MissingToken, "Send a user token: Authorization: Bearer <JWT signed with the app secret>.");
            return;
        }

        if (requirement.Level == AuthLevel.Server && claims is not { IsServer: true })
        {
            await Refuse(context, 403, AuthErrors.ServerTokenRequired, "Only the app's backend (a token with \"server\": true) may do this.");
            return;
        }

        var caller = new Caller(app.Id, claims?.Subject, claims?.IsServer ?? false);
        Caller.Set(context, caller);
        Activity.Current?.SetTag("stoa.app_id", app.Id.ToString("N"));
        await next(context);
    }

    /// <summary>Seconds to wait when the client's address has used up its lookups of unknown keys; null when it may look one up.</summary>
    private int? ThrottleLookup(HttpContext context)
    {
        var current = limits.CurrentValue;
        if (!current.Enabled || !current.Policies.TryGetValue(RateLimitOptions.AuthPolicy, out var policy))
        {
            return null;
        }

        var decision = buckets.TryTake("auth:" + ClientAddress.BucketOf(context.Connection.RemoteIpAddress), policy.Policy, 1);
        return decision.Allowed ? null : Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
    }

    /// <summary>
    /// The <c>Origin</c> of a browser request (REST, EventSource or WebSocket handshake) that the app does not allow;
    /// null when there is none (servers and curl send no Origin), when it is the node's own origin (the demo page), or
    /// when the app allows it.
    /// </summary>
    private static string? RefusedOrigin(HttpContext context, App app)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return null;
        }

        var own = $"{context.Request.Scheme}://{context.Request.Host.Value}";
        return origin.Equals(own, StringComparison.OrdinalIgnoreCase) || app.Origins.Allows(origin)
            ? null
            : origin.Length <= 200 ? origin : origin[..200];
    }

    private static string? Credential(HttpContext context, string header, string query, AuthRequirement requirement)
    {
        var value = context.Request.Headers[header].ToString();
        if (value.Length == 0 && requirement.AllowQueryCredentials)
        {
            value = context.Request.Query[query].ToString();
        }

        return value;
    }

    private static string? BearerToken(HttpContext context, AuthRequirement requirement)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        if (authorization.Length == 0 && requirement.AllowQueryCredentials)
        {
            var fromQuery = context.Request.Query["access_token"].ToString();
            return fromQuery.Length > 0 ? fromQuery : null;
        }

        return null;
    }

    private static Task Refuse(HttpContext context, int status, string code, string detail)
    {
        if (status == 401)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return ProblemResponses.WriteAsync(context, status, code, detail);
    }
}
