using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.RateLimiting;

/// <summary>
/// Takes one token per request from the caller's bucket for the endpoint's policy, after authentication (so the
/// bucket is the user's, not the IP's, when there is a user). When the engine cannot be reached the request is let
/// through: an unavailable limiter must not take the whole API down with it.
/// </summary>
internal sealed partial class RateLimitMiddleware(
    RequestDelegate next,
    IRateLimitBuckets shared,
    LocalRateLimitBuckets local,
    IOptionsMonitor<RateLimitOptions> options,
    ILogger<RateLimitMiddleware> logger)
{
    private static readonly Meter s_meter = new("Stoa.RateLimiting");
    private static readonly Counter<long> s_rejected = s_meter.CreateCounter<long>("stoa.ratelimit.rejected", "{request}", "Requests refused with 429.");
    private static readonly Counter<long> s_failOpen = s_meter.CreateCounter<long>("stoa.ratelimit.engine_failures", "{request}", "Requests let through because the engine did not answer.");

    public async Task InvokeAsync(HttpContext context)
    {
        var current = options.CurrentValue;
        var policyName = PolicyFor(context);
        if (!current.Enabled || policyName is null || !current.Policies.TryGetValue(policyName, out var policyOptions))
        {
            await next(context);
            return;
        }

        var policy = new RateLimitPolicy(policyOptions.Capacity, policyOptions.TokensPerSecond);
        var key = BucketKey(context, policyName);
        RateLimitDecision decision;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            deadline.CancelAfter(TimeSpan.FromSeconds(1));
            decision = await (policyOptions.PerNode ? local : shared).TryTakeAsync(key, policy, 1, deadline.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !context.RequestAborted.IsCancellationRequested)
        {
            s_failOpen.Add(1);
            LogEngineFailure(logger, ex);
            await next(context);
            return;
        }

        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = policy.Capacity.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            s_rejected.Add(1, new KeyValuePair<string, object?>("policy", policyName));
            var seconds = (int)Math.Ceiling(decision.RetryAfter.TotalSeconds);
            await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, FoundationErrors.RateLimited,
                $"Too many requests for the '{policyName}' limit; retry in {Math.Max(1, seconds)} s.", retryAfterSeconds: seconds);
            return;
        }

        await next(context);
    }

    private static string? PolicyFor(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var metadata = endpoint?.Metadata.GetMetadata<RateLimitMetadata>();
        if (metadata is not null)
        {
            return metadata.Policy;
        }

        return endpoint is not null && context.Request.Path.StartsWithSegments("/v1") ? "default" : null;
    }

    private static string BucketKey(HttpContext context, string policy)
    {
        var caller = Caller.Of(context);
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (caller is null)
        {
            return $"anonymous:ratelimit:{policy}:{ip}";
        }

        var subject = caller.IsServer ? "server" : caller.UserId is { } user ? "u:" + user : "ip:" + ip;
        return EngineKeys.For(caller.AppId, "ratelimit", policy, subject);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limiter could not reach the engine; request let through")]
    private static partial void LogEngineFailure(ILogger logger, Exception ex);
}
