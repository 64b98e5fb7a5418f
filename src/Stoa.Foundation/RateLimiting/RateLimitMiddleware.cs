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
/// Takes one token per request from the caller's bucket for the endpoint's policy, and from the app's bucket when the
/// policy has a per-app ceiling, after authentication (so the bucket is the user's, not the IP's, when there is a
/// user). Handlers charge requests that cost more than one (<see cref="RateLimitChargeExtensions"/>).
/// When the engine does not answer within a second the choice depends on the method: a read (a GET, or an endpoint
/// declared <see cref="RateLimitConventions.ReadOnly"/> such as a gRPC read) is let through (an
/// unavailable limiter must not take the whole API down with it), a write is refused with 503 (writes are what a
/// flood would use to fill the store while the limiter is blind).
/// </summary>
internal sealed partial class RateLimitMiddleware(
    RequestDelegate next,
    IRateLimitBuckets shared,
    LocalRateLimitBuckets local,
    IOptionsMonitor<RateLimitOptions> options,
    ILogger<RateLimitMiddleware> logger,
    IMeterFactory meters)
{
    private readonly Counters _counters = new(meters);

    public async Task InvokeAsync(HttpContext context)
    {
        var current = options.CurrentValue;
        var policyName = PolicyFor(context);
        if (!current.Enabled || policyName is null || !current.Policies.TryGetValue(policyName, out var policyOptions))
        {
            await next(context);
            return;
        }

        var caller = Caller.Of(context);
        var appPolicy = caller is null ? null : policyOptions.AppPolicy;
        var charge = new RateLimitCharge(policyName, policyOptions.PerNode ? local : shared, CallerKey(context, caller, policyName),
            policyOptions.Policy, appPolicy is null ? null : EngineKeys.For(caller!.AppId, "ratelimit", policyName, "app"), appPolicy);
        RateLimitDecision decision;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            deadline.CancelAfter(TimeSpan.FromSeconds(1));
            decision = await charge.TakeAsync(1, deadline.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !context.RequestAborted.IsCancellationRequested)
        {
            _counters.FailOpen.Add(1);
            LogEngineFailure(logger, ex);
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                || context.GetEndpoint()?.Metadata.GetMetadata<ReadOnlyMetadata>() is not null)
            {
                await next(context);
                return;
            }

            await ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, FoundationErrors.EngineUnavailable,
                "The rate limiter cannot reach the engine, and writes are not accepted unchecked; retry shortly.", retryAfterSeconds: 1);
            return;
        }

        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = policyOptions.Capacity.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            _counters.Rejected.Add(1, new KeyValuePair<string, object?>("policy", policyName));
            var refusal = charge.Refusal(decision);
            await ProblemResponses.WriteAsync(context, refusal.Status, refusal.Code, refusal.Message, retryAfterSeconds: refusal.RetryAfterSeconds);
            return;
        }

        context.Features.Set(charge);
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

    private static string CallerKey(HttpContext context, Caller? caller, string policy)
    {
        var network = ClientAddress.BucketOf(context.Connection.RemoteIpAddress);
        if (caller is null)
        {
            return $"anonymous:ratelimit:{policy}:{network}";
        }

        var subject = caller.IsServer ? "server" : caller.UserId is { } user ? "u:" + user : "ip:" + network;
        return EngineKeys.For(caller.AppId, "ratelimit", policy, subject);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limiter could not reach the engine; reads are let through, writes refused")]
    private static partial void LogEngineFailure(ILogger logger, Exception ex);

    /// <summary>
    /// The limiter's instruments on the host's meter, made with the pipeline at start-up: they are scraped (at zero, so
    /// rate() works) before the first refusal, and two hosts in one process count apart.
    /// </summary>
    private sealed class Counters
    {
        public Counters(IMeterFactory meters)
        {
            var meter = meters.Create("Stoa.RateLimiting");
            Rejected = meter.CreateCounter<long>("stoa.ratelimit.rejected", "{request}", "Requests refused with 429.");
            FailOpen = meter.CreateCounter<long>("stoa.ratelimit.engine_failures", "{request}",
                "Requests the limiter could not check because the engine did not answer (reads let through, writes refused).");
        }

        public Counter<long> Rejected { get; }

        public Counter<long> FailOpen { get; }
    }
}
