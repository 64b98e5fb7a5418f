using System.Globalization;

namespace Stoa.Redis;

/// <summary>A server address: a host name or IP literal (IPv6 without brackets) and a TCP port.</summary>
public readonly record struct RedisEndpoint(string Host, int Port)
{
    /// <summary><c>host:port</c>, with brackets around an IPv6 literal.</summary>
    public override string ToString()
        => Host.Contains(':', StringComparison.Ordinal)
            ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
