using Microsoft.AspNetCore.Builder;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// Endpoint metadata: the error codes an endpoint's handler (and the services it calls) can answer with one status.
/// Declared next to the endpoint so that the OpenAPI document lists, per operation, the codes a client may switch on;
/// the codes the platform adds itself (credentials, rate limits, bodies, an unavailable store) come from the endpoint's
/// other metadata (<see cref="PlatformErrors"/>) and are not repeated here.
/// </summary>
public sealed record ErrorResponseMetadata(int Status, IReadOnlyList<string> Codes);

public static class ErrorResponseConventions
{
    /// <summary>Declares that the endpoint can answer <paramref name="status"/> as problem+json with one of <paramref name="codes"/>.</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, int status, params string[] codes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ErrorResponseMetadata(status, codes));
}
