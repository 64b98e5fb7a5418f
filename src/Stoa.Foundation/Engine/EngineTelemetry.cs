using System.Diagnostics;

namespace Stoa.Foundation.Engine;

/// <summary>The engine's spans, under <c>Stoa.Engine</c>: a near-cache load, the one moment a hot read goes to the engine.</summary>
internal static class EngineTelemetry
{
    public const string Name = "Stoa.Engine";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// A miss that loads (not one that joins a load already running), as <c>{module}.near_cache.load</c>, inside a
    /// trace only: the first waiting request's.
    /// </summary>
    public static Activity? StartLoad(string module)
    {
        if (Activity.Current is null || !Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(Telemetry.SpanNames.Of(module, ".near_cache.load"));
        activity?.SetTag("stoa.module", module);
        return activity;
    }
}
