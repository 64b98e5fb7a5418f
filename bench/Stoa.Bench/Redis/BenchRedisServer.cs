using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stoa.Bench.Redis;

/// <summary>
/// The Redis the benchmarks talk to: <c>STOA_BENCH_REDIS_URL</c> when set (run-redis-benchmarks.sh sets it so that
/// redis-benchmark and these benchmarks hit the same server), otherwise a redis-server started here on a free port
/// and stopped in the benchmark's cleanup.
/// </summary>
internal sealed class BenchRedisServer : IDisposable
{
    private readonly Process? _process;
    private readonly string? _directory;

    private BenchRedisServer(string url, Process? process, string? directory)
    {
        Url = url;
        _process = process;
        _directory = directory;
    }

    public string Url { get; }

    public static BenchRedisServer Start()
    {
        string? url = Environment.GetEnvironmentVariable("STOA_BENCH_REDIS_URL");
        if (!string.IsNullOrEmpty(url))
        {
            return new BenchRedisServer(url, null, null);
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        string directory = Directory.CreateTempSubdirectory("stoa-bench-redis-").FullName;
        var info = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no", "--loglevel", "warning" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server).");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }

        return new BenchRedisServer($"redis://127.0.0.1:{port}", process, directory);
    }

    public void Dispose()
    {
        if (_process is not null)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
