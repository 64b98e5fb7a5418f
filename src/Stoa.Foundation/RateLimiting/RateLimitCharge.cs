using System.Globalization;
using Microsoft.AspNetCore.Http;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.RateLimiting;

/// <summary>
/// The buckets a request was charged to, kept on the request so that a handler can charge more once it knows what
/// the request costs: a preview batch of 20 URLs costs 20 tokens, a quote read of 50 symbols 50. The middleware
/// takes one token before the handler runs; the handler adds the rest with
/// <see cref="RateLimitChargeExtensions.ChargeRateLimitAsync"/>.
/// </summary>
internal sealed class RateLimitCharge(
    string policyName, IRateLimitBuckets buckets, string callerKey, RateLimitPolicy callerPolicy, string? appKey, RateLimitPolicy? appPolicy)
{
    public string PolicyName => policyName;

    /// <summary>Takes <paramref name="cost"/> tokens from the caller's bucket and the app's; refused by either, refused.</summary>
    public async ValueTask<RateLimitDecision> TakeAsync(int cost, CancellationToken cancellationToken)
    {
        var caller = buckets.TryTakeAsync(callerKey, callerPolicy, cost, cancellationToken);
        var app = appKey is not null && appPolicy is not null
            ? buckets.TryTakeAsync(appKey, appPolicy, cost, cancellationToken)
            : ValueTask.FromResult(new RateLimitDecision(true, 0, TimeSpan.Zero));
        var (callerDecision, appDecision) = (await caller, await app);
        return appDecision.Allowed ? callerDecision : appDecision with { Remaining = callerDecision.Remaining };
    }

    public RateLimitPolicy CallerPolicy => callerPolicy;

    public ApiException Refusal(RateLimitDecision decision)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        return new ApiException(StatusCodes.Status429TooManyRequests, FoundationErrors.RateLimited,
            $"Too many requests for the '{policyName}' limit; retry in {seconds.ToString(CultureInfo.InvariantCulture)} s.")
        {
            RetryAfterSeconds = seconds,
        };
    }
}

public static class RateLimitChargeExtensions
{
    /// <summary>
    /// Charges <paramref name="extraTokens"/> more to the request's rate-limit buckets (the middleware already took one);
    /// throws 429 <c>rate_limited</c> when they do not hold that many. Nothing happens when limits are off.
    /// </summary>
    public static async ValueTask ChargeRateLimitAsync(this HttpContext context, int extraTokens, CancellationToken cancellationToken)
    {
        if (extraTokens <= 0 || context.Features.Get<RateLimitCharge>() is not { } charge)
        {
            return;
        }

        var decision = await charge.TakeAsync(extraTokens, cancellationToken);
        context.Response.Headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            throw charge.Refusal(decision);
        }
    }
}
