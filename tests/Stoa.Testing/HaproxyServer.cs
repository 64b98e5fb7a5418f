namespace Stoa.Testing;

/// <summary>
/// A real haproxy running <c>deploy/haproxy.cfg</c> with its addresses rewritten the way scripts/cluster does:
/// the frontend on a free port, the three servers on the given node ports; the error files are copied beside it.
/// </summary>
public sealed class HaproxyServer : IDisposable
{
    private readonly ServerProcess _process;
    private readonly string _directory;

    private HaproxyServer(ServerProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Output => _process.Output;

    public static async Task<HaproxyServer> StartAsync(string deployDirectory, IReadOnlyList<int> nodePorts)
    {
        if (nodePorts.Count != 3)
        {
            throw new ArgumentException("deploy/haproxy.cfg names three nodes.", nameof(nodePorts));
        }

        var binary = ExternalTools.Find("haproxy", "haproxy", "/usr/sbin");
        var port = TestPorts.GetFree();
        var rendered = File.ReadAllText(Path.Combine(deployDirectory, "haproxy.cfg")).Replace("127.0.0.1:8080", $"127.0.0.1:{port}", StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            rendered = rendered.Replace($"127.0.0.1:{8081 + i}", $"127.0.0.1:{nodePorts[i]}", StringComparison.Ordinal);
        }

        var directory = Directory.CreateTempSubdirectory("stoa-haproxy-").FullName;
        var errors = Directory.CreateDirectory(Path.Combine(directory, "haproxy-errors")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(deployDirectory, "haproxy-errors")))
        {
            File.Copy(file, Path.Combine(errors, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(configPath, rendered);
        var process = ServerProcess.Start(binary, ["-db", "-f", configPath]);
        var server = new HaproxyServer(process, directory, port);
        await TestPorts.WaitForListenerAsync(port, TimeSpan.FromSeconds(20), () => process.Output);
        return server;
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
