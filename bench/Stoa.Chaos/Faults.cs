using System.Diagnostics;

namespace Stoa.Chaos;

/// <summary>
/// Finds the cluster's processes through /proc (as <c>pgrep -f</c> would) and kills and restarts them with the command
/// line, environment and directory scripts/cluster gave them. Restarted pids go to the pids file, which scripts/chaos
/// stops at the end (they are not scripts/cluster's children).
/// </summary>
internal sealed class Faults(int basePort, string? pidsFile)
{
    public string NodeUrl(int node) => $"http://127.0.0.1:{basePort + node}";

    /// <summary>
    /// The node behind haproxy's server name: deploy/haproxy.cfg names them node1 to node3 and scripts/cluster gives
    /// node N the port base + N.
    /// </summary>
    public static int NumberOf(string serverName) =>
        serverName is ['n', 'o', 'd', 'e', var digit] && digit is >= '1' and <= '3'
            ? digit - '0'
            : throw new InvalidOperationException($"haproxy named the node '{serverName}', not node1 to node3");

    public ProcessImage Node(int node) =>
        ProcessImage.Find(p => p.CommandLine.Any(a => a.EndsWith("stoa.dll", StringComparison.Ordinal))
            && p.Environment.GetValueOrDefault("Stoa__Urls") == NodeUrl(node))
        ?? throw new InvalidOperationException($"node {node} ({NodeUrl(node)}) is not running");

    public async Task KillNodeAsync(int node, Signal signal)
    {
        var image = Node(node);
        image.Signal(signal);
        await image.WaitExitAsync(TimeSpan.FromSeconds(20));
        Relaunch(image.CommandLine, image, $"node{node}");
    }

    /// <summary>Whether the nodes' engine is a Redis Cluster (<c>scripts/cluster --redis-cluster</c>).</summary>
    public bool RedisIsCluster => RedisClusterFaults.IsCluster(Node(1).Environment["Stoa__Redis"]);

    /// <summary>One Redis: a restart. A Redis Cluster: a primary killed, its replica promoted, the old primary back as a replica.</summary>
    public async Task RestartRedisAsync()
    {
        var redis = Node(1).Environment["Stoa__Redis"];
        if (RedisClusterFaults.IsCluster(redis))
        {
            await RedisClusterFaults.KillPrimaryAsync(redis, (commandLine, image) => Relaunch(commandLine, image, "redis"));
            return;
        }

        var url = new Uri(redis);
        var image = ProcessImage.Find(p => p.CommandLine.Count > 0 && p.CommandLine[0].Contains("redis-server", StringComparison.Ordinal)
            && string.Join(' ', p.CommandLine).Contains($":{url.Port}", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("redis-server is not running");
        image.Signal(Signal.Term);
        await image.WaitExitAsync(TimeSpan.FromSeconds(20));

        // redis-server rewrites its process title, so its arguments are the ones scripts/cluster passes.
        Relaunch(["redis-server", "--port", url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", image.WorkingDirectory, "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
            "--loglevel", "warning"], image, "redis");
    }

    public async Task RestartPostgresAsync()
    {
        var store = new Uri(Node(1).Environment["Stoa__Store"]);
        var image = ProcessImage.Find(p => p.CommandLine.Count >= 3 && p.CommandLine[0].EndsWith("/postgres", StringComparison.Ordinal)
            && p.CommandLine[1] == "-D"
            && File.ReadAllText(Path.Combine(p.CommandLine[2], "postgresql.conf")).Contains($"port = {store.Port}", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("postgres is not running");
        var pgCtl = Path.Combine(Path.GetDirectoryName(image.CommandLine[0])!, "pg_ctl");
        var dataDir = image.CommandLine[2];
        string[] command = [pgCtl, "-D", dataDir, "-l", Path.Combine(dataDir, "server.log"), "-w", "-t", "60", "restart", "-m", "fast"];
        var start = Environment.UserName == "root"
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", .. command])
            : new ProcessStartInfo(command[0], command[1..]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("pg_ctl restart failed: " + await process.StandardError.ReadToEndAsync());
        }
    }

    private void Relaunch(IReadOnlyList<string> commandLine, ProcessImage image, string name)
    {
        var log = Path.Combine(Path.GetTempPath(), $"stoa-chaos-{name}.log");
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"exec \"$0\" \"$@\" >>'{log}' 2>&1", .. commandLine])
        {
            WorkingDirectory = image.WorkingDirectory,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        foreach (var (key, value) in image.Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        if (pidsFile is not null)
        {
            File.AppendAllText(pidsFile, process.Id + "\n");
        }
    }
}
