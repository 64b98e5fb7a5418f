using Stoa.Foundation.Hosting;

namespace Stoa.Foundation.Tests.Hosting;

public sealed class StoaOptionsValidatorTests
{
    private static readonly string[] s_modules = ["comments", "docs"];

    [Fact]
    public void Defaults_are_valid()
    {
        StoaOptionsValidator.Validate(new StoaOptions(), s_modules).ShouldBeEmpty();
    }

    [Fact]
    public void Each_bad_setting_is_named_in_its_message()
    {
        var errors = StoaOptionsValidator.Validate(new StoaOptions
        {
            Store = "oracle://x",
            Redis = "http://cache:6379",
            Modules = "comments,chat",
            Urls = "ftp://x",
            MaxRequestBodyBytes = 10,
            ShutdownDelaySeconds = -1,
        }, s_modules);

        errors.ShouldContain(e => e.StartsWith("Stoa:Store:", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("Stoa:Redis:", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("Stoa:Modules:", StringComparison.Ordinal) && e.Contains("'chat'"));
        errors.ShouldContain(e => e.StartsWith("Stoa:Urls:", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("Stoa:MaxRequestBodyBytes:", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("Stoa:ShutdownDelaySeconds:", StringComparison.Ordinal));
        errors.Count.ShouldBe(6);
    }

    [Theory]
    [InlineData(null, null, null, "http://localhost:8080", true)]
    [InlineData(null, null, null, "http://127.0.0.1:8080;http://[::1]:8080", true)]
    [InlineData(null, null, null, "http://+:8080", false)]
    [InlineData(null, null, null, "http://0.0.0.0:8080", false)]
    [InlineData(null, null, null, "http://localhost:8080;http://10.0.0.5:8080", false)]
    [InlineData("sqlite:/var/lib/stoa/stoa.db", null, null, "http://localhost:8080", false)]
    [InlineData(null, "redis://127.0.0.1:6379", null, "http://localhost:8080", false)]
    [InlineData("postgres://u:p@127.0.0.1/stoa", null, true, "http://localhost:8080", true)]
    [InlineData(null, null, false, "http://localhost:8080", false)]
    [InlineData(null, null, true, "http://+:8080", false)]
    public void Development_mode_runs_only_on_loopback_and_by_default_only_without_a_store(
        string? store, string? redis, bool? devMode, string urls, bool expected)
    {
        // The container image listens on http://+:8080 with no store set: it must never hand out /dev/token.
        new StoaOptions { Store = store, Redis = redis, DevMode = devMode, Urls = urls }.IsDevMode.ShouldBe(expected);
    }

    [Fact]
    public void Asking_for_development_mode_on_a_public_address_stops_start_up()
    {
        var errors = StoaOptionsValidator.Validate(new StoaOptions { DevMode = true, Urls = "http://+:8080" }, s_modules);
        errors.ShouldHaveSingleItem().ShouldStartWith("Stoa:DevMode:");
    }

    [Theory]
    [InlineData("all", new[] { "comments", "docs" })]
    [InlineData("", new[] { "comments", "docs" })]
    [InlineData(" Docs ,docs", new[] { "docs" })]
    public void Module_selection_is_case_insensitive_and_all_means_every_module(string value, string[] expected)
    {
        StoaOptionsValidator.ModuleNames(value, s_modules).ShouldBe(expected);
    }

    [Theory]
    [InlineData("redis://127.0.0.1:6379")]
    [InlineData("rediss://user:pw@cache.internal:6380/2")]
    [InlineData("redis://10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000?cluster=true")]
    [InlineData("rediss://stoa:secret@clustercfg.cache.example:6379?cluster=true")]
    [InlineData("")]
    public void Redis_urls_are_accepted(string url)
    {
        StoaOptionsValidator.Validate(new StoaOptions { Redis = url }, s_modules).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("redis://10.0.0.1:7000,10.0.0.2:7000", "cluster=true")]
    [InlineData("redis://10.0.0.1:7000/3?cluster=true", "database 0")]
    [InlineData("redis://cache?cluster=maybe", "true or false")]
    [InlineData("memcached://cache", "redis:// or rediss://")]
    public void Bad_redis_urls_are_named_with_the_reason(string url, string reason)
    {
        var error = StoaOptionsValidator.Validate(new StoaOptions { Redis = url }, s_modules).ShouldHaveSingleItem();
        error.ShouldStartWith("Stoa:Redis:");
        error.ShouldContain(reason);
    }
}
