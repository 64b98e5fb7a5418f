using Microsoft.AspNetCore.Builder;

namespace Stoa.Foundation.RateLimiting;

/// <summary>Endpoint metadata naming the rate-limit policy; <c>null</c> disables limiting.</summary>
public sealed record RateLimitMetadata(string? Policy);

/// <summary>
/// Endpoint metadata: a read that is no GET (a gRPC read is a POST), which the limiter lets through unchecked like a
/// GET when its engine does not answer.
/// </summary>
public sealed record ReadOnlyMetadata;

public static class RateLimitConventions
{
    public static TBuilder ReadOnly<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ReadOnlyMetadata());

    public static TBuilder RateLimit<TBuilder>(this TBuilder builder, string policy)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RateLimitMetadata(policy));

    public static TBuilder DisableRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RateLimitMetadata(null));
}
