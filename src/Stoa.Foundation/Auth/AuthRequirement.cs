using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Stoa.Foundation.Auth;

/// <summary>What an endpoint needs from its caller, from least to most.</summary>
public enum AuthLevel
{
    /// <summary>Nothing (health, metrics, the dev token endpoint).</summary>
    Anonymous,

    /// <summary>A valid <c>X-Api-Key</c>; a user token is read if present (public reads that show "my vote").</summary>
    App,

    /// <summary>An API key and a user token (or the app's server token).</summary>
    User,

    /// <summary>An API key and the app's server token (moderation, admin, price pushes).</summary>
    Server,
}

/// <summary>Endpoint metadata read by the authentication middleware; the last one declared wins.</summary>
public sealed record AuthRequirement(AuthLevel Level, bool AllowQueryCredentials = false)
{
    /// <summary>
    /// What an endpoint requires, for the middleware and the OpenAPI document alike: the last declaration (ours, or
    /// ASP.NET Core's <c>AllowAnonymous()</c>); an undeclared <c>/v1</c> endpoint requires an app key (forgetting a
    /// declaration must not make an endpoint public), anything else nothing.
    /// </summary>
    public static AuthRequirement Of(IEnumerable<object> metadata, bool underV1) =>
        metadata.LastOrDefault(m => m is AuthRequirement or IAllowAnonymous) switch
        {
            AuthRequirement requirement => requirement,
            IAllowAnonymous => new AuthRequirement(AuthLevel.Anonymous),
            _ => new AuthRequirement(underV1 ? AuthLevel.App : AuthLevel.Anonymous),
        };
}

/// <summary>
/// One-line declarations for route groups and endpoints, TodoApi style. ASP.NET Core's own <c>AllowAnonymous()</c>
/// declares an endpoint public; whichever declaration comes last (endpoint over group) wins.
/// </summary>
public static class AuthConventions
{
    public static TBuilder RequireApp<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AuthRequirement(AuthLevel.App));

    public static TBuilder RequireUser<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AuthRequirement(AuthLevel.User));

    public static TBuilder RequireServer<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AuthRequirement(AuthLevel.Server));

    /// <summary>
    /// Also accept <c>?api_key=</c> and <c>?access_token=</c>: browsers cannot set headers on EventSource or
    /// WebSocket requests. Only for GET streaming endpoints; tokens in URLs can end up in logs, so keep them short-lived.
    /// </summary>
    public static TBuilder AllowQueryCredentials<TBuilder>(this TBuilder builder, AuthLevel level)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AuthRequirement(level, AllowQueryCredentials: true));
}
