using Stoa.Mentions;

namespace Stoa.Mentions.Tests;

public sealed class ResultLinksTests
{
    private static readonly Uri s_duckDuckGoPage = new("https://html.duckduckgo.com/html/?q=chat+api");
    private static readonly Uri s_bingPage = new("https://www.bing.com/search?q=chat+api");

    [Theory]
    [InlineData("//duckduckgo.com/l/?uddg=https%3A%2F%2Fgetstream.io%2Fchat%2F&rut=5f3c", "https://getstream.io/chat/")]
    [InlineData("https://duckduckgo.com/l/?uddg=https%3A%2F%2Fbl%C3%BCcher.de%2Fa%3Fb%3Dc%26d%3De&rut=1", "https://blücher.de/a?b=c&d=e")]
    [InlineData("/l/?uddg=https%3A%2F%2Fgetstream.io%2F", "https://getstream.io/")]
    [InlineData("https://getstream.io/chat/", "https://getstream.io/chat/")]
    // not DuckDuckGo's redirect: kept as they are
    [InlineData("https://example.com/l/?uddg=https%3A%2F%2Fgetstream.io%2F", "https://example.com/l/?uddg=https%3A%2F%2Fgetstream.io%2F")]
    [InlineData("//duckduckgo.com/l/?uddg=javascript%3Aalert(1)", "https://duckduckgo.com/l/?uddg=javascript%3Aalert(1)")]
    [InlineData("//duckduckgo.com/l/?rut=5f3c", "https://duckduckgo.com/l/?rut=5f3c")]
    public void DuckDuckGo_redirects_are_decoded(string href, string expected)
    {
        var link = ResultLinks.Resolve(s_duckDuckGoPage, href).ShouldNotBeNull();

        ResultLinks.UnwrapDuckDuckGo(s_duckDuckGoPage, link).ShouldBe(new Uri(expected));
    }

    [Theory]
    [InlineData("https://www.bing.com/ck/a?!&&p=abc&ptn=3&ver=2&hsh=4&u=a1aHR0cHM6Ly9nZXRzdHJlYW0uaW8vY2hhdC8&ntb=1", "https://getstream.io/chat/")]
    [InlineData("/ck/a?!&&p=abc&u=a1aHR0cHM6Ly9nZXRzdHJlYW0uaW8vY2hhdC9kb2NzLw&ntb=1", "https://getstream.io/chat/docs/")]
    [InlineData("https://getstream.io/chat/", "https://getstream.io/chat/")]
    // not decodable, or not Bing's: kept as they are (and then count as bing.com or example.com)
    [InlineData("https://www.bing.com/ck/a?!&&p=abc&u=a1@@@@&ntb=1", "https://www.bing.com/ck/a?!&&p=abc&u=a1@@@@&ntb=1")]
    [InlineData("https://www.bing.com/ck/a?!&&p=abc&u=b9aHR0cHM6Ly9nZXRzdHJlYW0uaW8v&ntb=1", "https://www.bing.com/ck/a?!&&p=abc&u=b9aHR0cHM6Ly9nZXRzdHJlYW0uaW8v&ntb=1")]
    [InlineData("https://example.com/ck/a?u=a1aHR0cHM6Ly9nZXRzdHJlYW0uaW8vY2hhdC8", "https://example.com/ck/a?u=a1aHR0cHM6Ly9nZXRzdHJlYW0uaW8vY2hhdC8")]
    public void Bing_click_wrappers_are_decoded(string href, string expected)
    {
        var link = ResultLinks.Resolve(s_bingPage, href).ShouldNotBeNull();

        ResultLinks.UnwrapBing(s_bingPage, link).ShouldBe(new Uri(expected));
    }

    [Theory]
    [InlineData("javascript:void(0)")]
    [InlineData("mailto:sales@getstream.io")]
    [InlineData("")]
    [InlineData(null)]
    public void Links_that_lead_nowhere_on_the_web_are_dropped(string? href)
    {
        ResultLinks.Resolve(s_bingPage, href).ShouldBeNull();
    }
}
