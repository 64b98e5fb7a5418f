namespace Stoa.Foundation.Hosting;

/// <summary>A configuration section (<c>Stoa:Docs</c>) and the options class bound to it, for <see cref="SettingsSchema"/>.</summary>
public sealed record SettingsSection(string Path, Type Options)
{
    /// <summary>The host's own sections; modules add theirs (each *Module's <c>Settings</c>).</summary>
    public static IReadOnlyList<SettingsSection> Platform { get; } =
    [
        new(StoaOptions.Section, typeof(StoaOptions)),
        new(RateLimiting.RateLimitOptions.Section, typeof(RateLimiting.RateLimitOptions)),
        new(Telemetry.TelemetryOptions.Section, typeof(Telemetry.TelemetryOptions)),
    ];
}
