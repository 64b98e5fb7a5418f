using System.Net;
using System.Net.Sockets;

namespace Stoa.Previews.Fetching;

/// <summary>
/// The one HttpClient previews use. Its handler never resolves names itself: every request carries the addresses
/// <see cref="UpstreamFetcher"/> resolved and checked, and <see cref="ConnectAsync"/> connects to those only, so a DNS
/// answer that changes between check and connect (rebinding) cannot redirect us. Redirects, decompression, proxies
/// and cookies are off: each would let the server steer a request around the checks.
/// </summary>
internal static class SafeHttpClient
{
    public static readonly HttpRequestOptionsKey<IPAddress[]> CheckedAddresses = new("Stoa.Previews.CheckedAddresses");

    public static HttpClient Create()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxResponseHeadersLength = 64,

            // We often stop reading early (at </head>, at the cap, for non-HTML); never drain the rest of a hostile body
            // just to reuse the connection.
            MaxResponseDrainSize = 0,
            MaxConnectionsPerServer = 16,

            // The pages previewed are anyone's: they get no traceparent, which would hand them this deployment's
            // trace ids. A propagator that writes nothing, rather than none, keeps HttpClient's span of the request.
            ActivityHeadersPropagator = System.Diagnostics.DistributedContextPropagator.CreateNoOutputPropagator(),
        };
        return new HttpClient(handler, disposeHandler: true)
        {
            // The fetcher enforces one deadline across hops, body and oEmbed; a second timer here would only race it.
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        // Fail closed: a request that skipped the checks must not fall back to resolving the name here.
        if (!context.InitialRequestMessage.Options.TryGetValue(CheckedAddresses, out var addresses) || addresses.Length == 0)
        {
            throw new InvalidOperationException("Upstream request without checked addresses.");
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
