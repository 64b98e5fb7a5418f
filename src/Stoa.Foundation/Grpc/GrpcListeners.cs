using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Stoa.Foundation.Grpc;

/// <summary>
/// The endpoints that serve gRPC (<c>Stoa:GrpcUrls</c>), registered only when gRPC is on. After start-up
/// <see cref="Addresses"/> holds the ports actually bound (a configured port 0 becomes a free one).
/// </summary>
public sealed class GrpcListeners
{
    private readonly List<(ListenOptions Options, string Scheme)> _listeners = [];

    public IReadOnlyList<Uri> Addresses
    {
        get
        {
            lock (_listeners)
            {
                return [.. _listeners.Select(l => l.Options.EndPoint is IPEndPoint ip
                    ? new Uri($"{l.Scheme}://{(ip.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : ip.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : ip.Address)}:{ip.Port}".Replace("://::1", "://[::1]", StringComparison.Ordinal))
                    : new Uri($"{l.Scheme}://localhost"))];
            }
        }
    }

    internal void Add(ListenOptions options, string scheme)
    {
        lock (_listeners)
        {
            _listeners.Add((options, scheme));
        }
    }
}
