using System.Net;
using System.Net.Sockets;

namespace Stoa.Testing;

/// <summary>Free loopback TCP ports for the servers the harness starts.</summary>
public static class TestPorts
{
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A free loopback port for a Redis Cluster node: below 55535, since the node's cluster bus listens on port + 10000,
    /// and with that bus port free too. Chosen at random below the usual ephemeral range so that concurrent runs and
    /// outgoing connections rarely collide with it.
    /// </summary>
    public static int GetFreeClusterPort()
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            int port = Random.Shared.Next(20_000, 32_000);
            if (IsFree(port) && IsFree(port + 10_000))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free pair of loopback ports (port, port + 10000) for a Redis Cluster node.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits until something accepts TCP connections on the port, or throws with the server's output.</summary>
    public static async Task WaitForListenerAsync(int port, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"Nothing listens on 127.0.0.1:{port} after {timeout}. {diagnostics()}", ex);
            }
        }
    }
}
