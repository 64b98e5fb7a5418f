using Microsoft.Extensions.FileProviders;

namespace Stoa.Server;

/// <summary>
/// Serves the demo page (<c>web/</c> at the repository root, copied next to the executable) at <c>/</c>. It runs after
/// the foundation's middleware, so the files carry the same security headers as the API, plus a Content-Security-Policy
/// that lets the page load only its own scripts and styles and talk only to this origin.
/// </summary>
internal static class WebPage
{
    // Link cards show images from the sites they describe (any http/https origin); embeds may frame https pages.
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: https: http:; connect-src 'self'; style-src 'self'; script-src 'self'; frame-src https:";

    public static void UseWebPage(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "web");
        if (!Directory.Exists(root))
        {
            // A build without the page (a trimmed container image) serves the API alone.
            return;
        }

        var files = new PhysicalFileProvider(root);
        app.Lifetime.ApplicationStopped.Register(files.Dispose);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                // Revalidate every time (ETag makes that cheap): a stale module next to a fresh one breaks the page.
                headers.CacheControl = "no-cache";
            },
        });
    }
}
