namespace Stoa.Foundation.Telemetry;

/// <summary>The sources and meters Stoa listens to, and the names it gives itself.</summary>
public static class TelemetryNames
{
    /// <summary>Every module's meter and activity source (<see cref="ModuleTelemetry"/>).</summary>
    public const string StoaPattern = "Stoa.*";

    public const string DefaultServiceName = "stoa";

    public const string MetricsPath = "/metrics";

    /// <summary>
    /// The meters exported (to <c>/metrics</c> and OTLP): modules, the store and Stoa.Redis, ASP.NET Core (hosting,
    /// Kestrel, routing, diagnostics, rate limiting), Npgsql (<c>db.client.*</c>) and the runtime (GC, thread pool,
    /// CPU). <c>System.Net.*</c> is left out on purpose: its <c>server.address</c> and <c>dns.question.name</c> tags
    /// take one value per upstream host, and previews fetches arbitrary hosts; modules record their upstream calls
    /// with closed tag sets instead.
    /// </summary>
    public static IReadOnlyList<string> Meters { get; } = [StoaPattern, "Microsoft.AspNetCore.*", "Npgsql", "System.Runtime"];

    /// <summary>Health probes and the scrape: logged at Debug and never traced (each would be a trace of one span).</summary>
    public static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        Health.HealthEndpoints.IsHealthPath(path) || path.Equals(MetricsPath, StringComparison.Ordinal);

    /// <summary>True when <paramref name="name"/> is matched by one of the <paramref name="patterns"/> (<c>Prefix.*</c> or exact).</summary>
    public static bool Matches(string name, IReadOnlyList<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.EndsWith(".*", StringComparison.Ordinal))
            {
                var prefix = pattern.AsSpan(0, pattern.Length - 2);
                if (name.AsSpan().StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                    && (name.Length == prefix.Length || name[prefix.Length] == '.'))
                {
                    return true;
                }
            }
            else if (string.Equals(name, pattern, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
