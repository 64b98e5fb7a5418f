using System.Buffers.Text;
using System.Text;
using System.Web;

namespace Stoa.Mentions;

/// <summary>Turns an <c>href</c> from a results page into the address the result leads to.</summary>
internal static class ResultLinks
{
    /// <summary>Resolves <paramref name="href"/> against the page, keeping only absolute http(s) addresses.</summary>
    public static Uri? Resolve(Uri page, string? href)
    {
        if (string.IsNullOrWhiteSpace(href) || !Uri.TryCreate(page, href.Trim(), out var url))
        {
            return null;
        }

        return IsWeb(url) ? url : null;
    }

    /// <summary>
    /// DuckDuckGo's HTML results route clicks through <c>//duckduckgo.com/l/?uddg=&lt;percent-encoded target&gt;&amp;rut=…</c>.
    /// Only such links on DuckDuckGo's own host (or the page's, when a test or mirror serves it) are unwrapped, so an
    /// ordinary site whose path happens to be /l/?uddg= is not mistaken for a redirect.
    /// </summary>
    public static Uri UnwrapDuckDuckGo(Uri page, Uri link)
    {
        if (!IsEngineHost(link, page, "duckduckgo.com") || link.AbsolutePath != "/l/")
        {
            return link;
        }

        var target = HttpUtility.ParseQueryString(link.Query)["uddg"];
        return target is not null && Uri.TryCreate(target, UriKind.Absolute, out var url) && IsWeb(url) ? url : link;
    }

    /// <summary>
    /// Bing sometimes routes clicks through <c>https://www.bing.com/ck/a?…&amp;u=a1&lt;base64url of the target&gt;&amp;ntb=1</c>;
    /// the "a1" prefix marks that encoding. Anything else is left as it is (and then counts as a bing.com link).
    /// </summary>
    public static Uri UnwrapBing(Uri page, Uri link)
    {
        if (!IsEngineHost(link, page, "bing.com") || link.AbsolutePath != "/ck/a")
        {
            return link;
        }

        var encoded = HttpUtility.ParseQueryString(link.Query)["u"];
        if (encoded is null || !encoded.StartsWith("a1", StringComparison.Ordinal))
        {
            return link;
        }

        try
        {
            var target = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded.AsSpan(2)));
            return Uri.TryCreate(target, UriKind.Absolute, out var url) && IsWeb(url) ? url : link;
        }
        catch (FormatException)
        {
            return link;
        }
    }

    private static bool IsEngineHost(Uri link, Uri page, string engineDomain) =>
        string.Equals(link.Authority, page.Authority, StringComparison.OrdinalIgnoreCase)
        || (HostNames.HostOf(link) is { } host && HostNames.IsSameOrSubdomain(host, engineDomain));

    private static bool IsWeb(Uri url) => url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp;
}
