using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Stoa.Foundation.Hosting;

/// <summary>
/// Makes every id a route takes (<c>{threadId}</c>, <c>{userId}</c>, <c>{id}</c>…) exactly what the client encoded:
/// the raw path segment, percent-decoded once. The server decodes the path before routing but leaves <c>%2F</c>
/// encoded (a decoded '/' would split the segment), so a thread keyed by a page URL,
/// <c>https%3A%2F%2Fblog.example%2Fpost%2F1</c>, would otherwise arrive half-decoded as
/// <c>https:%2F%2Fblog.example%2Fpost%2F1</c>; and decoding that again would turn an id that really contains "%2F"
/// (sent as <c>%252F</c>) into a '/'. Reading the raw segment avoids both. Runs after routing, before authentication.
/// </summary>
internal sealed class RawPathRouteValuesMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is RouteEndpoint endpoint
            && context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } target)
        {
            Apply(context.Request, endpoint.RoutePattern, target);
        }

        return next(context);
    }

    private static void Apply(HttpRequest request, RoutePattern pattern, string target)
    {
        var rawPath = PathOf(target);
        if (rawPath is null)
        {
            return;
        }

        var raw = rawPath.Split('/');
        var decoded = (request.PathBase + request.Path).Value?.Split('/') ?? [];
        // Dot segments (/a/../b) are resolved by the server before routing: then the raw segments do not line up with
        // the routed ones, and the route values are left as routing found them.
        if (raw.Length != decoded.Length)
        {
            return;
        }

        var skip = request.PathBase.HasValue ? request.PathBase.Value!.Split('/').Length - 1 : 0;
        for (var i = 0; i < pattern.PathSegments.Count && 1 + skip + i < raw.Length; i++)
        {
            if (pattern.PathSegments[i].Parts is [RoutePatternParameterPart { IsCatchAll: false } parameter]
                && request.RouteValues.ContainsKey(parameter.Name))
            {
                request.RouteValues[parameter.Name] = Uri.UnescapeDataString(raw[1 + skip + i]);
            }
        }
    }

    /// <summary>The path of an origin-form (<c>/v1/x?q</c>) or absolute-form (<c>http://host/v1/x</c>) request target.</summary>
    private static string? PathOf(string target)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        if (path.StartsWith('/'))
        {
            return path;
        }

        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        var slash = scheme < 0 ? -1 : path.IndexOf('/', scheme + 3);
        return slash < 0 ? null : path[slash..];
    }
}
