using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Stoa.Foundation.Auth;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// The credentials of docs/auth.md as security schemes, and per operation the ones the authentication middleware
/// asks for, from the same <see cref="AuthRequirement"/>: an app key always, a user token for user endpoints, a server
/// token (a user token with <c>"server": true</c>) for server endpoints, and the query forms on streams.
/// </summary>
internal sealed class SecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string ApiKey = "apiKey";
    public const string ApiKeyQuery = "apiKeyQuery";
    public const string Bearer = "bearerToken";
    public const string TokenQuery = "accessTokenQuery";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [ApiKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "The app's public API key (`pk_…`), on every /v1 request.",
            },
            [ApiKeyQuery] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Query,
                Name = "api_key",
                Description = "The API key in the query, accepted only by the streams (EventSource and WebSocket cannot set headers).",
            },
            [Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A user token: HS256 JWT signed with the app secret, `sub` = user id, `exp` required. "
                    + "`\"server\": true` makes it the app backend's server token (docs/auth.md).",
            },
            [TokenQuery] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Query,
                Name = "access_token",
                Description = "The user token in the query, accepted only by the streams; keep such tokens short-lived.",
            },
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var requirement = PlatformErrors.Requirement(context.Description);
        if (requirement.Level == AuthLevel.Anonymous)
        {
            operation.Security = [];
            return Task.CompletedTask;
        }

        var document = context.Document!;
        var alternatives = new List<OpenApiSecurityRequirement> { Requirement(document, ApiKey, requirement.Level >= AuthLevel.User ? Bearer : null) };
        if (requirement.Level == AuthLevel.App)
        {
            // A user token is optional on app endpoints: with one, reads show the caller's own votes and likes.
            alternatives.Add(Requirement(document, ApiKey, Bearer));
        }

        if (requirement.AllowQueryCredentials)
        {
            alternatives.Add(Requirement(document, ApiKeyQuery, requirement.Level >= AuthLevel.User ? TokenQuery : null));
        }

        operation.Security = alternatives;
        var who = requirement.Level switch
        {
            AuthLevel.User => "Needs a user token (or the app's server token).",
            AuthLevel.Server => "Needs the app's server token (`\"server\": true`).",
            _ => "Needs the app's API key; a user token is optional.",
        };
        operation.Description = string.IsNullOrEmpty(operation.Description) ? who : $"{operation.Description}\n\n{who}";
        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, string scheme, string? with)
    {
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
        if (with is not null)
        {
            requirement[new OpenApiSecuritySchemeReference(with, document)] = [];
        }

        return requirement;
    }
}
