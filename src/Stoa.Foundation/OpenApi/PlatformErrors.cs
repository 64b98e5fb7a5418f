using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// The error codes the platform's own middleware answers an endpoint with, read from the same metadata that middleware
/// reads (<see cref="AuthRequirement"/>, <see cref="RateLimitMetadata"/>, the parameters the endpoint binds), so that
/// the document cannot list a credential error for a public endpoint or forget the 429 of a limited one.
/// </summary>
internal static class PlatformErrors
{
    private static readonly string[] s_tokenFailures =
    [
        AuthErrors.TokenMalformed, AuthErrors.TokenTooLarge, AuthErrors.TokenAlgorithmNotAllowed, AuthErrors.TokenSignatureInvalid,
        AuthErrors.TokenExpired, AuthErrors.TokenNotYetValid, AuthErrors.TokenMissingSubject, AuthErrors.TokenMissingExpiry,
    ];

    /// <summary>What the authentication middleware requires of the operation's caller.</summary>
    public static AuthRequirement Requirement(ApiDescription description) =>
        AuthRequirement.Of(description.ActionDescriptor.EndpointMetadata, ("/" + description.RelativePath).StartsWith("/v1/", StringComparison.Ordinal)
            || ("/" + description.RelativePath) == "/v1");

    public static void AddTo(ErrorCodeSet codes, ApiDescription description)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var requirement = Requirement(description);
        if (requirement.Level >= AuthLevel.App)
        {
            codes.Add(401, AuthErrors.MissingApiKey, AuthErrors.InvalidApiKey);
            codes.Add(401, s_tokenFailures);
            codes.Add(403, AuthErrors.OriginNotAllowed);
            // Unknown keys are looked up at a limited rate per client address, whatever the endpoint's own policy.
            codes.Add(429, FoundationErrors.RateLimited);
        }

        if (requirement.Level >= AuthLevel.User)
        {
            codes.Add(401, AuthErrors.MissingToken);
        }

        if (requirement.Level == AuthLevel.Server)
        {
            codes.Add(403, AuthErrors.ServerTokenRequired);
        }

        var limited = metadata.OfType<RateLimitMetadata>().LastOrDefault();
        if (limited is { Policy: not null } || (limited is null && requirement.Level >= AuthLevel.App))
        {
            codes.Add(429, FoundationErrors.RateLimited);
            codes.Add(503, FoundationErrors.EngineUnavailable);
        }

        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body))
        {
            codes.Add(400, FoundationErrors.InvalidJson, FoundationErrors.InvalidCharacter, FoundationErrors.ValidationFailed);
            codes.Add(413, FoundationErrors.PayloadTooLarge);
            codes.Add(415, FoundationErrors.UnsupportedMediaType);
        }

        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query || p.Source == BindingSource.Path))
        {
            // Typed parameters the framework cannot bind ("limit=abc") are bad_request; the handlers' own checks validation_failed.
            codes.Add(400, FoundationErrors.BadRequest, FoundationErrors.ValidationFailed);
        }

        if (requirement.Level >= AuthLevel.App)
        {
            codes.Add(503, FoundationErrors.StoreUnavailable, FoundationErrors.StoreBusy, FoundationErrors.EngineUnavailable);
        }

        codes.Add(503, FoundationErrors.ShuttingDown);
    }
}
