using Grpc.Core;
using Stoa.Foundation.Auth;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Foundation.Grpc;

/// <summary>What a gRPC service takes from the middleware that ran before it, as REST handlers take it from their parameters.</summary>
public static class GrpcCallContext
{
    /// <summary>The caller the authentication middleware established (every Stoa method needs at least an app key).</summary>
    public static Caller Caller(this ServerCallContext context) =>
        Auth.Caller.Of(context.GetHttpContext())
            ?? throw new InvalidOperationException($"{context.Method} was mapped without an auth requirement; map it with MapStoaGrpcService.");

    /// <inheritdoc cref="RateLimitChargeExtensions.ChargeRateLimitAsync"/>
    public static ValueTask ChargeRateLimitAsync(this ServerCallContext context, int extraTokens) =>
        context.GetHttpContext().ChargeRateLimitAsync(extraTokens, context.CancellationToken);
}
