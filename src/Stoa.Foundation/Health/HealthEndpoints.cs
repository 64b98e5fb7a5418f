using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Stoa.Foundation.Hosting;

namespace Stoa.Foundation.Health;

/// <summary><c>/healthz</c>: the process is alive. <c>/readyz</c>: every dependency answers and the node is not draining.</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan s_checkTimeout = TimeSpan.FromSeconds(2);

    public static bool IsHealthPath(PathString path) =>
        path.Equals("/healthz", StringComparison.Ordinal) || path.Equals("/readyz", StringComparison.Ordinal)
        || path.StartsWithSegments("/grpc.health.v1.Health", StringComparison.Ordinal);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok", null)))
            .WithTags("health").ExcludeFromDescription();
        endpoints.MapGet("/readyz", ReadyAsync).WithTags("health").ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ReadyAsync(IEnumerable<IReadinessCheck> checks, DrainState drain, CancellationToken cancellationToken)
    {
        var body = await CheckReadinessAsync(checks, drain, cancellationToken);
        return body.Status == "ready" ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>What <c>/readyz</c> answers (and gRPC's <c>grpc.health.v1</c>): every check within its deadline, and not draining.</summary>
    public static async Task<HealthStatus> CheckReadinessAsync(IEnumerable<IReadinessCheck> checks, DrainState drain, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(checks.Select(async check =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_checkTimeout);
            bool ok;
            try
            {
                ok = await check.IsReadyAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ok = false;
            }

            return (check.Name, ok);
        }));

        var report = results.ToDictionary(r => r.Name, r => r.ok ? "ok" : "failing", StringComparer.Ordinal);
        if (drain.IsDraining)
        {
            report["node"] = "draining";
        }

        var ready = !drain.IsDraining && results.All(r => r.ok);
        return new HealthStatus(ready ? "ready" : "not_ready", report);
    }
}

public sealed record HealthStatus(string Status, IReadOnlyDictionary<string, string>? Checks);
