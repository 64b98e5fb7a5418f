using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Stoa.Foundation.Telemetry;

/// <summary><c>GET /metrics</c>: the host's metrics in the Prometheus text format 0.0.4.</summary>
public static class MetricsEndpoint
{
    /// <summary>Maps the scrape endpoint; the returned builder takes conventions (<c>.AllowAnonymous()</c>, a host filter…).</summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints, string pattern = TelemetryNames.MetricsPath) =>
        endpoints.MapGet(pattern, WriteAsync).ExcludeFromDescription();

    private static Task WriteAsync(HttpContext context)
    {
        var text = context.RequestServices.GetRequiredService<PrometheusCollector>().CollectText();
        context.Response.ContentType = PrometheusTextWriter.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
