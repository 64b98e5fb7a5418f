using Microsoft.Extensions.Diagnostics.HealthChecks;
using Stoa.Foundation.Health;
using Stoa.Foundation.Hosting;

namespace Stoa.Foundation.Grpc;

/// <summary><c>grpc.health.v1</c> answers what <c>/readyz</c> answers: SERVING when every dependency answers and the node is not draining.</summary>
internal sealed class ReadinessHealthCheck(IEnumerable<IReadinessCheck> checks, DrainState drain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = await HealthEndpoints.CheckReadinessAsync(checks, drain, cancellationToken);
        var report = status.Checks?.ToDictionary(c => c.Key, c => (object)c.Value);
        return status.Status == "ready" ? HealthCheckResult.Healthy(data: report) : HealthCheckResult.Unhealthy(status.Status, data: report);
    }
}
