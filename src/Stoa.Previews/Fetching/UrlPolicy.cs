using System.Globalization;
using System.Net;
using Stoa.Previews.Core;

namespace Stoa.Previews.Fetching;

/// <summary>
/// Validates a URL (the one asked for and every redirect hop) before anything is resolved or contacted, and
/// canonicalises its host the way a browser would so that no spelling of a forbidden address slips through.
/// </summary>
internal sealed class UrlPolicy
{
    public const int MaxUrlLength = 4096;

    // Names that only ever mean this machine, its LAN or a cloud's metadata service, whatever DNS says.
    private static readonly string[] s_blockedSuffixes = [".localhost", ".local", ".localdomain", ".internal", ".arpa"];
    private static readonly string[] s_blockedNames = ["metadata.goog"];

    private readonly AddressPolicy _addresses;

    public UrlPolicy(AddressPolicy addresses)
    {
        _addresses = addresses;
    }

    public AddressPolicy Addresses => _addresses;

    /// <summary>Parses what a client sent; <see cref="PreviewErrors.InvalidUrl"/> when it is no absolute URL.</summary>
    public static Uri Parse(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxUrlLength || !HasScheme(text))
        {
            throw new PreviewException(PreviewErrors.InvalidUrl);
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return uri;
        }

        // Uri refuses a percent-encoded host (http://%31%32%37.0.0.1/) that browsers decode; decode it the same way
        // so the policy judges the address a browser would reach instead of answering invalid_url.
        var decoded = DecodeAuthority(text);
        if (decoded is not null && Uri.TryCreate(decoded, UriKind.Absolute, out uri))
        {
            return uri;
        }

        throw new PreviewException(PreviewErrors.InvalidUrl);
    }

    public FetchTarget Validate(Uri uri)
    {
        if (!uri.IsAbsoluteUri || uri.OriginalString.Length > MaxUrlLength)
        {
            throw new PreviewException(PreviewErrors.InvalidUrl);
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new PreviewException(PreviewErrors.UrlNotAllowed, "Only http and https URLs can be previewed.");
        }

        // Credentials in a URL are a classic confusion vector (http://trusted@evil/), and never needed for previews.
        if (uri.UserInfo.Length > 0 || AuthorityOf(uri.OriginalString).Contains('@'))
        {
            throw new PreviewException(PreviewErrors.UrlNotAllowed, "URLs with credentials cannot be previewed.");
        }

        if (!_addresses.IsPortAllowed(uri.Port))
        {
            throw new PreviewException(PreviewErrors.UrlNotAllowed, "The URL's port is not allowed.");
        }

        IPAddress? address = null;
        string? dnsName = null;
        switch (uri.HostNameType)
        {
            case UriHostNameType.IPv4:
                address = IPAddress.Parse(uri.Host);
                break;
            case UriHostNameType.IPv6:
                address = IPAddress.Parse(uri.Host.AsSpan().Trim("[]"));
                address.ScopeId = 0;
                break;
            case UriHostNameType.Dns:
            case UriHostNameType.Basic:
                string host;
                try
                {
                    // IdnHost applies IDNA/UTS 46 mapping: fullwidth digits and ideographic dots become ASCII here.
                    host = uri.IdnHost;
                }
                catch (UriFormatException)
                {
                    throw new PreviewException(PreviewErrors.InvalidUrl);
                }

                host = host.TrimEnd('.').ToLowerInvariant();
                switch (Ipv4HostParser.TryParse(host, out address))
                {
                    case Ipv4HostParser.Result.Invalid:
                        throw new PreviewException(PreviewErrors.InvalidUrl, "The URL's host is neither a name nor an IPv4 address.");
                    case Ipv4HostParser.Result.NotIpv4:
                        if (!IsValidDnsName(host))
                        {
                            throw new PreviewException(PreviewErrors.InvalidUrl);
                        }

                        if (IsBlockedName(host))
                        {
                            throw new PreviewException(PreviewErrors.UrlNotAllowed, "The URL's host is not allowed.");
                        }

                        dnsName = host;
                        break;
                }

                break;
            default:
                throw new PreviewException(PreviewErrors.InvalidUrl);
        }

        if (address is not null && !_addresses.IsAllowed(address))
        {
            throw new PreviewException(PreviewErrors.UrlNotAllowed, "The URL's address is not allowed.");
        }

        var canonicalHost = address is null
            ? dnsName!
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var canonical = uri;
        if (!string.Equals(uri.Host, canonicalHost, StringComparison.Ordinal) || uri.Fragment.Length > 0)
        {
            canonical = new UriBuilder(uri) { Host = canonicalHost, Fragment = string.Empty }.Uri;
        }

        var hostKey = uri.IsDefaultPort ? canonicalHost : canonicalHost + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return new FetchTarget(canonical, hostKey, address, dnsName);
    }

    public static bool IsBlockedName(string host)
    {
        // A single label (localhost, metadata, instance-data, intranet) resolves through search domains to local hosts.
        if (!host.Contains('.'))
        {
            return true;
        }

        foreach (var suffix in s_blockedSuffixes)
        {
            if (host.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return s_blockedNames.Contains(host);
    }

    private static bool IsValidDnsName(string host)
    {
        if (host.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool HasScheme(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        for (var i = 1; i < colon; i++)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]) && text[i] is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string AuthorityOf(string text)
    {
        var start = text.IndexOf("//", StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        start += 2;
        var end = text.IndexOfAny(['/', '?', '#', '\\'], start);
        return end < 0 ? text[start..] : text[start..end];
    }

    private static string? DecodeAuthority(string text)
    {
        var authority = AuthorityOf(text);
        if (!authority.Contains('%'))
        {
            return null;
        }

        var start = text.IndexOf("//", StringComparison.Ordinal) + 2;
        return string.Concat(text.AsSpan(0, start), Uri.UnescapeDataString(authority), text.AsSpan(start + authority.Length));
    }
}
