using System.Net;
using System.Net.Sockets;

namespace Stoa.Foundation.RateLimiting;

/// <summary>
/// The part of a client's address that names one client for rate limiting. An IPv6 client usually holds a whole /64
/// (one subscriber's network), so keying buckets by the full address would give it 2^64 buckets to rotate through.
/// </summary>
public static class ClientAddress
{
    public static string BucketOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
