using System.Globalization;

namespace Stoa.Mentions;

/// <summary>
/// Host name normalisation and the "same site" rule: compare ASCII (punycode) lower-case names without trailing dots,
/// so that <c>BÜCHER.de.</c>, <c>bücher.de</c> and <c>xn--bcher-kva.de</c> are one host.
/// </summary>
internal static class HostNames
{
    private static readonly IdnMapping s_idn = new() { UseStd3AsciiRules = true };

    /// <summary>
    /// Normalises a user-supplied domain such as <c>getstream.io</c>. Rejects URLs, ports, IP addresses, single labels
    /// (a bare TLD would make every site under it a "subdomain") and anything that is not a DNS host name.
    /// </summary>
    public static bool TryNormalizeDomain(string? input, out string domain)
    {
        domain = string.Empty;
        var trimmed = input?.Trim().TrimEnd('.');
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 253)
        {
            return false;
        }

        string ascii;
        try
        {
            ascii = s_idn.GetAscii(trimmed.ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2 || ascii.Length > 253 || labels.Any(l => !IsLabel(l)) || labels[^1].All(char.IsAsciiDigit))
        {
            return false;
        }

        domain = ascii;
        return true;
    }

    /// <summary>The link's host in normalised form, or null when it has none (mailto:, relative, IP-less oddities).</summary>
    public static string? HostOf(Uri url)
    {
        if (!url.IsAbsoluteUri || url.HostNameType is not (UriHostNameType.Dns or UriHostNameType.Basic))
        {
            return null;
        }

        // IdnHost is the punycode form; Uri has already dropped any userinfo, so https://getstream.io@evil.com/ is evil.com.
        var host = url.IdnHost.TrimEnd('.').ToLowerInvariant();
        return host.Length == 0 ? null : host;
    }

    /// <summary>True for the domain itself and its subdomains; never for look-alikes such as notgetstream.io.</summary>
    public static bool IsSameOrSubdomain(string host, string domain) =>
        host.Equals(domain, StringComparison.Ordinal)
        || (host.Length > domain.Length
            && host.EndsWith(domain, StringComparison.Ordinal)
            && host[host.Length - domain.Length - 1] == '.');

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63
        && label[0] != '-'
        && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
