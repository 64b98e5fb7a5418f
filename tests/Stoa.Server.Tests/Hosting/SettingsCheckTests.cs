using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Hosting;

namespace Stoa.Server.Tests.Hosting;

/// <summary>
/// A key under Stoa: that the code does not bind stops start-up naming it and the nearest valid key, instead of
/// being ignored; durations have one format, hh:mm:ss, and a bare number (which the binder reads as days) is refused.
/// </summary>
public sealed class SettingsCheckTests
{
    [Theory]
    [InlineData("Stoa:Stroe", "postgres://db/stoa", "did you mean Stoa:Store?")]
    [InlineData("Stoa:Modlues", "docs", "did you mean Stoa:Modules?")]
    [InlineData("stoa:devmod", "true", "did you mean Stoa:DevMode?")]
    [InlineData("Stoa:Previws:Timeout", "00:00:05", "did you mean Stoa:Previews?")]
    [InlineData("Stoa:Previews:Timout", "00:00:05", "did you mean Stoa:Previews:Timeout?")]
    [InlineData("Stoa:Quotes:Simulated:TicksPerSecnd", "4", "did you mean Stoa:Quotes:Simulated:TicksPerSecond?")]
    [InlineData("Stoa:RateLimits:Policies:reads:AppCapacty", "10", "did you mean Stoa:RateLimits:Policies:reads:AppCapacity?")]
    [InlineData("Stoa:Frobnicate", "1", "the settings under Stoa are Store, Redis, Modules")]
    [InlineData("Stoa:Quotes:Http", "x", "not a setting but a group of them")]
    [InlineData("Stoa:Previews:AllowedPorts", "443", "Stoa:Previews:AllowedPorts:0")]
    [InlineData("Stoa:Previews:AllowedPorts:first", "443", "items are numbered")]
    public void An_unknown_key_stops_start_up_naming_it_and_the_nearest_setting(string key, string value, string expected)
    {
        var message = Should.Throw<InvalidConfigurationException>(() => StoaApp.Build([$"--{key}={value}"])).Message;
        message.ShouldContain($"{key}:");
        message.ShouldContain(expected);
    }

    [Fact]
    public void Every_problem_is_named_at_once()
    {
        var errors = Should.Throw<InvalidConfigurationException>(() => StoaApp.Build(["--Stoa:Stroe=x", "--Stoa:Docs:SnapshotEvry=5"])).Errors;
        errors.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("Previews:Timeout", "5")]
    [InlineData("Previews:Timeout", "5s")]
    [InlineData("Previews:BreakerBreakDuration", "30")]
    [InlineData("Comments:EditWindow", "15")]
    [InlineData("Comments:PageTtl", "1m")]
    public void A_duration_not_written_hh_mm_ss_stops_start_up_naming_it(string key, string value)
    {
        var message = Should.Throw<InvalidConfigurationException>(() => StoaApp.Build([$"--Stoa:{key}={value}"])).Message;
        message.ShouldContain($"Stoa:{key}: '{value}' is not a duration; write hh:mm:ss");
    }

    [Theory]
    [InlineData("Previews:Timeout", "00:00:05", 5)]
    [InlineData("Comments:EditWindow", "1.00:00:00", 86400)]
    [InlineData("Comments:PreviewTimeout", "00:00:00.500", 0.5)]
    public void Durations_written_hh_mm_ss_are_read_as_written(string key, string value, double seconds)
    {
        using var app = StoaApp.Build([$"--Stoa:{key}={value}"]);
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        configuration.GetValue<TimeSpan>($"Stoa:{key}").TotalSeconds.ShouldBe(seconds);
    }

    [Fact]
    public void Every_documented_setting_is_accepted()
    {
        // One value of the right shape for every leaf the code binds: none may be refused as unknown.
        var settings = ModuleCatalog.Settings.LeafKeys().Select(key => key.Replace("*", "x", StringComparison.Ordinal))
            .Where(key => !key.EndsWith("AllowedPorts", StringComparison.Ordinal) && !key.EndsWith("AllowedNetworks", StringComparison.Ordinal))
            .ToDictionary(key => key, _ => (string?)"1");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        ModuleCatalog.Settings.Problems(configuration).ShouldAllBe(problem => problem.Contains("is not a duration", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_misspelt_environment_variable_stops_the_executable_with_code_2()
    {
        var result = await StoaProcess.RunAsync(new Dictionary<string, string> { ["Stoa__Stroe"] = "postgres://db/stoa" });
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("Stoa:Stroe: not a setting; did you mean Stoa:Store?");
        result.Stdout.ShouldNotContain("Now listening");
    }
}
