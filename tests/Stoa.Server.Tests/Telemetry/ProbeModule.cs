using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Telemetry;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>A pretend module's instruments, built the way a real module builds them from its <see cref="ModuleTelemetry"/>.</summary>
public sealed class ProbeModule
{
    public const string Name = "probe";

    public ProbeModule([FromKeyedServices(Name)] ModuleTelemetry telemetry)
    {
        Telemetry = telemetry;
        Items = telemetry.CreateCounter<long>("items", "{item}", "Items the probe processed.");
        WorkDuration = telemetry.CreateHistogram<double>("work.duration", "ms", "Duration of one probe work unit.", buckets: [1, 10, 100]);
    }

    public ModuleTelemetry Telemetry { get; }

    public Counter<long> Items { get; }

    public Histogram<double> WorkDuration { get; }
}
