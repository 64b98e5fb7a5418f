using Scalar.AspNetCore;

namespace Stoa.Server;

/// <summary>
/// The API reference at <c>/docs</c>: Scalar's page over the node's own OpenAPI document. Its bundle is embedded in
/// the Scalar.AspNetCore package and served by the node (<c>/docs/scalar.js</c>); Scalar's web fonts and telemetry,
/// which would come from its CDN, are turned off, so the page works offline and talks to this origin only.
/// </summary>
internal static class ApiReferencePage
{
    public const string Path = "/docs";

    /// <summary>
    /// The page's policy, on its responses only: Scalar starts itself with an inline script (its configuration) and
    /// styles its components inline; every script, style, font and request is this origin's.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    public static void MapApiReference(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Path))
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            return next(context);
        });
        app.MapScalarApiReference(Path, options => options
            .WithTitle("Stoa API reference")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            // "Try it" sends requests to this node (the document names no server: each node serves it).
            .WithDynamicBaseServerUrl());
    }
}
