using Stoa.Foundation.Auth;

namespace Stoa.Foundation.Tests.Auth;

/// <summary>Allowed origins are kept as browsers write them, so that matching is plain comparison.</summary>
public sealed class AppOriginsTests
{
    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("HTTPS://App.Example.com/", "https://app.example.com")]
    [InlineData("https://app.example.com:443", "https://app.example.com")]
    [InlineData("http://localhost:80", "http://localhost")]
    [InlineData("http://localhost:5173", "http://localhost:5173")]
    [InlineData("http://localhost:*", "http://localhost:*")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    [InlineData("*", "*")]
    public void Entries_are_normalised_as_browsers_send_origins(string entry, string normalised)
    {
        AppOrigins.TryCreate([entry], out var origins, out var problems).ShouldBeTrue(string.Join("; ", problems));
        origins!.Entries.ShouldBe([normalised]);
        AppOrigins.FromStored(origins.Stored).Entries.ShouldBe([normalised]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/path")]
    [InlineData("https://app.example.com?x=1")]
    [InlineData("https://user@app.example.com")]
    [InlineData("ftp://app.example.com")]
    [InlineData("https://app.example.com:8443:*")]
    [InlineData("https://*.example.com")]
    [InlineData("null")]
    public void Anything_but_an_origin_a_port_pattern_or_star_is_refused(string entry)
    {
        AppOrigins.TryCreate([entry], out _, out var problems).ShouldBeFalse();
        problems.Single().ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://APP.example.com", true)]
    [InlineData("http://app.example.com", false)]
    [InlineData("https://app.example.com:8443", false)]
    [InlineData("https://evil-app.example.com", false)]
    [InlineData("http://localhost:5173", true)]
    [InlineData("http://localhost", true)]
    [InlineData("https://localhost:5173", false)]
    [InlineData("null", false)]
    [InlineData("garbage", false)]
    public void Origins_match_exactly_or_on_any_port(string origin, bool allowed)
    {
        AppOrigins.TryCreate(["https://app.example.com", "http://localhost:*"], out var origins, out _).ShouldBeTrue();
        origins!.Allows(origin).ShouldBe(allowed);
    }

    [Fact]
    public void Star_allows_every_page_and_no_entries_allow_none()
    {
        AppOrigins.TryCreate(["*"], out var any, out _).ShouldBeTrue();
        any!.Allows("https://anything.example").ShouldBeTrue();
        any.Allows("null").ShouldBeTrue();
        AppOrigins.None.Allows("https://anything.example").ShouldBeFalse();
    }

    [Fact]
    public void The_development_app_allows_every_loopback_port()
    {
        foreach (var origin in new[] { "http://localhost:3000", "http://127.0.0.1:5173", "http://[::1]:8080", "https://localhost:8443" })
        {
            AppOrigins.Loopback.Allows(origin).ShouldBeTrue(origin);
        }

        AppOrigins.Loopback.Allows("http://192.168.1.5:3000").ShouldBeFalse();
    }
}
