using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Stoa.Testing;

/// <summary>Free loopback TCP ports for the servers the harness starts.</summary>
public static class TestPorts
{
    /// <summary>The first port the kernel hands to outgoing connections and port-0 listeners; read once per run.</summary>
    private static readonly int s_ephemeralRangeStart = ReadEphemeralRangeStart();

    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A free loopback port for a Redis Cluster node, with its cluster bus port (port + 10000) free too. Both lie below
    /// the kernel's ephemeral range: a port in that range can be taken by any outgoing connection or port-0 listener
    /// between this check and the node's start (or its restart after a kill), which once aborted a node with
    /// "Address already in use" on its bus port. Random, so that concurrent clusters rarely pick the same one.
    /// </summary>
    public static int GetFreeClusterPort()
    {
        int lowest = 10_000;
        int highest = s_ephemeralRangeStart - 10_000;
        if (highest - lowest < 1_000)
        {
            throw new InvalidOperationException($"The ephemeral port range starts at {highest + 10_000}: too low to place Redis Cluster ports and their bus ports (+ 10000) below it.");
        }

        for (int attempt = 0; attempt < 1000; attempt++)
        {
            int port = Random.Shared.Next(lowest, highest);
            if (IsFree(port) && IsFree(port + 10_000))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free pair of loopback ports (port, port + 10000) for a Redis Cluster node.");
    }

    /// <summary>The start of Linux's ephemeral range, or its default 32768 where the file is missing.</summary>
    private static int ReadEphemeralRangeStart()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(RangeFile) && int.TryParse(File.ReadAllText(RangeFile).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int start))
        {
            return start;
        }

        return 32_768;
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
