using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>Endpoints the telemetry tests drive: a routed item, a failure, a log line and a module's span and meter.</summary>
internal sealed class TelemetryTestEndpoints : IEndpointContributor
{
    public const string ItemRoute = "/telemetry-test/items/{id:int}";

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/telemetry-test");
        group.MapGet("/items/{id:int}", (int id) => TypedResults.Ok(id));
        group.MapGet("/boom", string () => throw new InvalidOperationException("telemetry probe failure"));
        group.MapGet("/log", (string marker, ILoggerFactory loggers) =>
        {
            loggers.CreateLogger("Stoa.Server.Tests.Telemetry").LogInformation("telemetry probe {Marker}", marker);
            return TypedResults.Ok(marker);
        });
        group.MapGet("/work", (ProbeModule probe) =>
        {
            using var activity = probe.Telemetry.StartActivity("work");
            activity?.SetTag("probe.items", 3);
            var started = Stopwatch.GetTimestamp();
            probe.Items.Add(3, new KeyValuePair<string, object?>("outcome", "ok"));
            probe.WorkDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return TypedResults.Ok("worked");
        });
    }
}
