using System.Net;

namespace Stoa.Previews.Fetching;

/// <summary>
/// A URL that passed <see cref="UrlPolicy"/>: its host is canonical (an IP literal or a lower-case ASCII name without a
/// trailing dot), with either the literal <see cref="Address"/> or the <see cref="DnsName"/> still to resolve.
/// </summary>
internal sealed record FetchTarget(Uri Uri, string HostKey, IPAddress? Address, string? DnsName);
