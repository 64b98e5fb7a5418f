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
    [InlineData("")]
    public void Redis_urls_are_accepted(string url)
    {
        StoaOptionsValidator.Validate(new StoaOptions { Redis = url }, s_modules).ShouldBeEmpty();
    }
}
