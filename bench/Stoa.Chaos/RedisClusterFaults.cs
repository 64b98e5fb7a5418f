using System.Diagnostics;
using System.Globalization;

namespace Stoa.Chaos;

/// <summary>
/// The Redis Cluster fault (<c>scripts/chaos --redis-cluster</c>): a primary is killed with SIGKILL, its replica is
/// promoted by the cluster itself, and the killed server is started again with its own nodes.conf, so that it rejoins
/// as a replica and the cluster is 3 + 3 again for the phases after.
/// </summary>
internal static class RedisClusterFaults
{
    public static bool IsCluster(string redisUrl) => redisUrl.Contains("cluster=true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Kills the primary that serves slot 0 and returns once its replica serves the slot; then restarts it.</summary>
    public static async Task KillPrimaryAsync(string redisUrl, Action<IReadOnlyList<string>, ProcessImage> relaunch)
    {
        var seeds = SeedPorts(redisUrl);
        var nodes = await ClusterNodesAsync(seeds);
        var victim = nodes.First(n => n.Primary && n.ServesSlotZero);
        var image = ProcessImage.Find(p => p.CommandLine.Count > 0 && p.CommandLine[0].Contains("redis-server", StringComparison.Ordinal)
            && string.Join(' ', p.CommandLine).Contains($":{victim.Port}", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the Redis primary on port {victim.Port} is not running");
        image.Signal(Signal.Kill);
        await image.WaitExitAsync(TimeSpan.FromSeconds(20));
        Console.Error.WriteLine($"chaos: Redis primary {victim.Port} got SIGKILL");

        var clock = Stopwatch.StartNew();
        var survivors = seeds.Where(p => p != victim.Port).ToList();
        while (true)
        {
            var now = await ClusterNodesAsync(survivors);
            if (now.Any(n => n.Primary && n.Port != victim.Port && n.ServesSlotZero))
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chaos: its replica was promoted after {clock.Elapsed.TotalSeconds:0.0} s"));
                break;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("no replica took over slot 0 within 30 s");
            }

            await Task.Delay(100);
        }

        // redis-server rewrites its process title, so its arguments are the ones scripts/cluster passes.
        relaunch(["redis-server", "--port", victim.Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", image.WorkingDirectory, "--save", "", "--appendonly", "no", "--protected-mode", "no",
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
            "--daemonize", "no", "--loglevel", "warning"], image);
    }

    private static List<int> SeedPorts(string redisUrl)
    {
        var hosts = redisUrl["redis://".Length..].Split('?')[0].Split(',');
        return [.. hosts.Select(h => int.Parse(h[(h.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture))];
    }

    private sealed record ClusterNode(int Port, bool Primary, string Slots)
    {
        /// <summary>Slot ranges are written "0-5460" (or a lone "0"), space separated.</summary>
        public bool ServesSlotZero => Slots.Contains(" 0-", StringComparison.Ordinal) || Slots.Contains(" 0 ", StringComparison.Ordinal);
    }

    /// <summary><c>CLUSTER NODES</c> as the first seed that answers sees it; failed nodes are left out.</summary>
    private static async Task<List<ClusterNode>> ClusterNodesAsync(IEnumerable<int> seeds)
    {
        foreach (var seed in seeds)
        {
            var start = new ProcessStartInfo("redis-cli", ["-p", seed.ToString(CultureInfo.InvariantCulture), "cluster", "nodes"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || !output.Contains("master", StringComparison.Ordinal))
            {
                continue;
            }

            // <id> <ip:port@bus> <flags> <primary> <ping> <pong> <epoch> <link> <slot ranges...>
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .Where(f => f.Length >= 8 && !f[2].Contains("fail", StringComparison.Ordinal))
                .Select(f => new ClusterNode(
                    int.Parse(f[1].Split('@')[0].Split(':')[^1], CultureInfo.InvariantCulture),
                    f[2].Contains("master", StringComparison.Ordinal),
                    " " + string.Join(' ', f.Skip(8)) + " "))];
        }

        throw new InvalidOperationException("no Redis Cluster node answered CLUSTER NODES");
    }
}
