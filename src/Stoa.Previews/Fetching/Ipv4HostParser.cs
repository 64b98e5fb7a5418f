using System.Globalization;
using System.Net;

namespace Stoa.Previews.Fetching;

/// <summary>
/// The WHATWG URL Standard's IPv4 host parser: 1 to 4 dot-separated parts, each decimal, 0x-hex or 0-octal, the last
/// part filling the remaining bytes (<c>127.1</c>, <c>0x7f.1</c>, <c>2130706433</c>). This is how browsers and curl read
/// a host, so it is how an attacker will write one; <see cref="Uri"/> leaves some of these forms as DNS names.
/// </summary>
internal static class Ipv4HostParser
{
    public enum Result
    {
        /// <summary>The host is a domain name, not a number.</summary>
        NotIpv4,

        Ipv4,

        /// <summary>The host ends in a number but is no valid IPv4 address (<c>1.2.3.4.5</c>, <c>08.1</c>, <c>4294967296</c>).</summary>
        Invalid,
    }

    public static Result TryParse(string host, out IPAddress? address)
    {
        address = null;
        var parts = host.Split('.');
        if (parts.Length > 1 && parts[^1].Length == 0)
        {
            parts = parts[..^1];
        }

        if (parts.Length == 0 || !EndsInNumber(parts[^1]))
        {
            return Result.NotIpv4;
        }

        if (parts.Length > 4)
        {
            return Result.Invalid;
        }

        var numbers = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParseNumber(parts[i], out numbers[i]))
            {
                return Result.Invalid;
            }
        }

        for (var i = 0; i < numbers.Length - 1; i++)
        {
            if (numbers[i] > 255)
            {
                return Result.Invalid;
            }
        }

        if (numbers[^1] >= 1UL << (8 * (5 - numbers.Length)))
        {
            return Result.Invalid;
        }

        ulong value = numbers[^1];
        for (var i = 0; i < numbers.Length - 1; i++)
        {
            value += numbers[i] << (8 * (3 - i));
        }

        address = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        return Result.Ipv4;
    }

    private static bool EndsInNumber(string last)
    {
        if (last.Length > 0 && last.All(char.IsAsciiDigit))
        {
            return true;
        }

        return last.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && last[2..].All(char.IsAsciiHexDigit);
    }

    private static bool TryParseNumber(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0)
        {
            return false;
        }

        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = part[2..];
            if (hex.Length == 0)
            {
                return true;
            }

            // Long runs of leading zeros are legal; anything wider than 64 bits is not an address anyway.
            hex = hex.TrimStart('0');
            return hex.Length <= 15 && (hex.Length == 0 || ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value));
        }

        if (part.Length > 1 && part[0] == '0')
        {
            var octal = part[1..].TrimStart('0');
            if (!octal.All(c => c is >= '0' and <= '7') || octal.Length > 20)
            {
                return false;
            }

            foreach (var c in octal)
            {
                value = (value * 8) + (ulong)(c - '0');
            }

            return true;
        }

        var digits = part.TrimStart('0');
        return part.All(char.IsAsciiDigit)
            && digits.Length <= 15
            && (digits.Length == 0 || ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value));
    }
}
