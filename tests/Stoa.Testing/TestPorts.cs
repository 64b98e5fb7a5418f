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
