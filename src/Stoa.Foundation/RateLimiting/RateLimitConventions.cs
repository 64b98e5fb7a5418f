using Microsoft.AspNetCore.Builder;

namespace Stoa.Foundation.RateLimiting;

/// <summary>Endpoint metadata naming the rate-limit policy; <c>null</c> disables limiting.</summary>
public sealed record RateLimitMetadata(string? Policy);

public static class RateLimitConventions
{
    public static TBuilder RateLimit<TBuilder>(this TBuilder builder, string policy)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RateLimitMetadata(policy));

    public static TBuilder DisableRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RateLimitMetadata(null));
}
