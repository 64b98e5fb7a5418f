using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stoa.Foundation.Engine;

/// <summary>
/// The near-cache as its users watch it, per module (the engine key's module part): hits and misses, whose ratio says
/// how much of a hot read path stays in memory, and how many entries are held. Read when scraped; a hosted service
/// only so that its instruments exist from the start.
/// </summary>
internal sealed class EngineMetrics : IHostedService
{
    public EngineMetrics(IServiceProvider services, IMeterFactory meters)
    {
        var meter = meters.Create(EngineTelemetry.Name);
        meter.CreateObservableCounter("stoa.engine.near_cache.requests", () => Requests(services), "{request}",
            "Near-cache reads by module and result: hit (answered from memory) or miss (loaded from the engine, or waited for a load).");
        meter.CreateObservableUpDownCounter("stoa.engine.near_cache.entries", () => services.GetService<IEngine>()?.NearCache.Count ?? 0,
            "{entry}", "Entries held in this node's near-cache.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<Measurement<long>> Requests(IServiceProvider services)
    {
        if (services.GetService<IEngine>()?.NearCache is not NearCache cache)
        {
            yield break;
        }

        foreach (var counts in cache.CountsByModule)
        {
            yield return new Measurement<long>(counts.Hits, new("module", counts.Module), new("result", "hit"));
            yield return new Measurement<long>(counts.Misses, new("module", counts.Module), new("result", "miss"));
        }
    }
}
