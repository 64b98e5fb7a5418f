namespace Stoa.Foundation.Telemetry;

/// <summary>The sources and meters Stoa listens to, and the names it gives itself.</summary>
public static class TelemetryNames
{
    /// <summary>Every module's meter and activity source (<see cref="ModuleTelemetry"/>).</summary>
    public const string StoaPattern = "Stoa.*";

    /// <summary>ASP.NET Core's activity source: one <c>Microsoft.AspNetCore.Hosting.HttpRequestIn</c> span per request.</summary>
    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    public const string DefaultServiceName = "stoa";

    public const string MetricsPath = "/metrics";

    /// <summary>
    /// The meters exported (to <c>/metrics</c> and OTLP): modules, ASP.NET Core (hosting, Kestrel, routing, diagnostics,
    /// rate limiting) and the runtime (GC, thread pool, CPU). <c>System.Net.*</c> is left out on purpose: its
    /// <c>server.address</c> and <c>dns.question.name</c> tags take one value per upstream host, and previews fetches
    /// arbitrary hosts; modules record their upstream calls with closed tag sets instead.
    /// </summary>
    public static IReadOnlyList<string> Meters { get; } = [StoaPattern, "Microsoft.AspNetCore.*", "System.Runtime"];

    /// <summary>The activity sources traced: modules and ASP.NET Core's per-request span.</summary>
    public static IReadOnlyList<string> Sources { get; } = [StoaPattern, AspNetCoreSource];

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
