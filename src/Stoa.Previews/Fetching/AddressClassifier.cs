using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Stoa.Previews.Fetching;

/// <summary>
/// Decides whether an address is one a server-side fetch must never reach: anything but public unicast.
/// IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by what they embed,
/// because a dual-stack or translating network delivers them to that IPv4 address.
/// </summary>
internal static class AddressClassifier
{
    public static bool IsForbidden(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => IsForbiddenV4(ToUInt32(address)),
        AddressFamily.InterNetworkV6 => IsForbiddenV6(address),
        _ => true,
    };

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static bool In(uint address, uint network, int prefixLength) =>
        prefixLength == 0 || (address >> (32 - prefixLength)) == (network >> (32 - prefixLength));

    private static bool IsForbiddenV4(uint a) =>
        In(a, 0x00000000, 8)            // 0.0.0.0/8 "this network", includes the unspecified address
        || In(a, 0x0A000000, 8)         // 10/8 private
        || In(a, 0x64400000, 10)        // 100.64/10 carrier-grade NAT (also Alibaba's metadata 100.100.100.200)
        || In(a, 0x7F000000, 8)         // 127/8 loopback
        || In(a, 0xA9FE0000, 16)        // 169.254/16 link-local, cloud metadata 169.254.169.254
        || In(a, 0xA83F8110, 32)        // 168.63.129.16 Azure's host endpoint (wire server: DHCP, DNS, health probes)
        || In(a, 0xAC100000, 12)        // 172.16/12 private
        || In(a, 0xC0000000, 24)        // 192.0.0/24 IETF protocol assignments (Oracle metadata 192.0.0.192)
        || In(a, 0xC0000200, 24)        // 192.0.2/24 TEST-NET-1
        || In(a, 0xC0586300, 24)        // 192.88.99/24 deprecated 6to4 relay anycast
        || In(a, 0xC0A80000, 16)        // 192.168/16 private
        || In(a, 0xC6120000, 15)        // 198.18/15 benchmarking
        || In(a, 0xC6336400, 24)        // 198.51.100/24 TEST-NET-2
        || In(a, 0xCB007100, 24)        // 203.0.113/24 TEST-NET-3
        || In(a, 0xE0000000, 4)         // 224/4 multicast
        || In(a, 0xF0000000, 4);        // 240/4 reserved, includes broadcast 255.255.255.255

    private static bool IsForbiddenV6(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        ulong high = BinaryPrimitives.ReadUInt64BigEndian(b);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(b[8..]);
        uint lastV4 = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);

        if (high == 0)
        {
            // ::ffff:a.b.c.d (IPv4-mapped) reaches a.b.c.d on a dual-stack socket.
            if ((low >> 32) == 0xFFFF)
            {
                return IsForbiddenV4(lastV4);
            }

            // ::/96 holds ::, ::1 and the deprecated IPv4-compatible form; ::ffff:0:a.b.c.d (SIIT) and the rest of
            // ::/64 have no public use either.
            return true;
        }

        // 64:ff9b::/96 NAT64: the translator forwards to the embedded IPv4 address.
        if (high == 0x0064FF9B00000000 && (low >> 32) == 0)
        {
            return IsForbiddenV4(lastV4);
        }

        // 2002::/16 6to4: the IPv4 address is in bits 16..47.
        if ((high >> 48) == 0x2002)
        {
            return IsForbiddenV4((uint)(high >> 16));
        }

        // 2001::/32 Teredo: server IPv4 in bits 32..63, client IPv4 inverted in the last 32 bits.
        if ((high >> 32) == 0x20010000)
        {
            return IsForbiddenV4((uint)high) || IsForbiddenV4(~lastV4);
        }

        // Only global unicast 2000::/3 is public; this also rules out fc00::/7 (unique local, fd00:ec2::254),
        // fe80::/10 (link-local), fec0::/10 (site-local), ff00::/8 (multicast), 64:ff9b:1::/48 (local NAT64),
        // 100::/64 (discard) and 5f00::/16 (SRv6).
        if ((high >> 61) != 0b001)
        {
            return true;
        }

        return (high >> 32) == 0x20010DB8            // 2001:db8::/32 documentation
            || (high >> 44) == 0x3FFF0               // 3fff::/20 documentation (RFC 9637)
            || (high >> 16) == 0x200100020000         // 2001:2::/48 benchmarking
            || (high >> 36) == 0x2001001;            // 2001:10::/28 deprecated ORCHID
    }
}
