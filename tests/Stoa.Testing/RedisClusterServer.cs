using System.Globalization;

namespace Stoa.Testing;

/// <summary>
/// A real Redis Cluster on loopback: 3 primaries and 3 replicas (redis-server processes in a temp directory, created
/// with <c>redis-cli --cluster create … --cluster-replicas 1</c>), ready when every node reports
/// <c>cluster_state:ok</c>, every replica's link is up and all nodes agree on the slots. <see cref="Shared"/> is
/// started once per test run; tests that kill nodes start their own with <see cref="StartAsync"/>. Administration goes
/// through redis-cli, not through the client under test. Node timeout 2 s and replica validity factor 0, so a killed
/// primary's replica takes over in a few seconds whatever its lag.
/// </summary>
public sealed class RedisClusterServer : IAsyncDisposable
{
    private static readonly Lazy<Task<RedisClusterServer>> s_shared = new(() => StartAsync());
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    private readonly string _binary;
    private readonly string _cli;
    private readonly string _directory;
    private readonly Dictionary<int, ServerProcess> _processes = [];

    private RedisClusterServer(string binary, string cli, string directory, IReadOnlyList<int> ports)
    {
        _binary = binary;
        _cli = cli;
        _directory = directory;
        Ports = ports;
    }

    /// <summary>The cluster shared by the tests of this run: do not kill its nodes; give keys a fresh prefix.</summary>
    public static Task<RedisClusterServer> Shared => s_shared.Value;

    /// <summary>Every node's port, the three first primaries first.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>A cluster URL with the three first primaries as seeds.</summary>
    public string Url => "redis://" + string.Join(',', Ports.Take(3).Select(p => $"127.0.0.1:{p}")) + "?cluster=true";

    public static async Task<RedisClusterServer> StartAsync()
    {
        // Ports are checked free before the nodes start, so another cluster of the same run starting at the same time
        // can still take one first; the loser's node exits with "Address already in use" and it starts on new ports.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync();
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    private static async Task<RedisClusterServer> StartOnceAsync()
    {
        var binary = ExternalTools.Find("redis-server", "redis-server");
        var cli = ExternalTools.Find("redis-cli", "redis-tools");
        var directory = Directory.CreateTempSubdirectory("stoa-redis-cluster-").FullName;
        var ports = new List<int>();
        while (ports.Count < 6)
        {
            int port = TestPorts.GetFreeClusterPort();
            if (!ports.Contains(port))
            {
                ports.Add(port);
            }
        }

        var cluster = new RedisClusterServer(binary, cli, directory, ports);
        ProcessReaper.AtExit(cluster.DeleteDirectory);
        try
        {
            foreach (int port in ports)
            {
                cluster.StartNode(port);
            }

            foreach (int port in ports)
            {
                await TestPorts.WaitForListenerAsync(port, TimeSpan.FromSeconds(20), () => cluster._processes[port].Output);
            }

            var create = await cluster.RunCliAsync(["--cluster", "create", .. ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "1", "--cluster-yes"]);
            if (create.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed ({create.ExitCode}): {create.Output}");
            }

            await cluster.WaitUntilHealthyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private void StartNode(int port)
    {
        var directory = Path.Combine(_directory, port.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        _processes[port] = ServerProcess.Start(_binary,
        [
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", directory,
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "2000",
            "--cluster-replica-validity-factor", "0",
            "--save", "",
            "--appendonly", "no",
            "--protected-mode", "no",
            "--daemonize", "no",
            "--loglevel", "warning",
        ]);
    }

    /// <summary>Runs redis-cli against a node; returns its output (raw mode) or throws on a non-zero exit.</summary>
    public async Task<string> CliAsync(int port, params string[] args)
    {
        var result = await RunCliAsync(["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. args]);
        if (result.ExitCode != 0 || result.Output.StartsWith("ERR", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli -p {port} {string.Join(' ', args)} failed: {result.Output}");
        }

        return result.Output.Trim();
    }

    private Task<(int ExitCode, string Output)> RunCliAsync(IEnumerable<string> args) => ExternalTools.RunAsync(_cli, args);

    /// <summary>The cluster as one live node sees it (<c>CLUSTER NODES</c>).</summary>
    public async Task<IReadOnlyList<ClusterNodeInfo>> NodesAsync(int? viaPort = null)
    {
        var text = await CliAsync(viaPort ?? LivePorts.First(), "CLUSTER", "NODES");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ClusterNodeInfo.Parse)];
    }

    /// <summary>Ports of the nodes whose process runs.</summary>
    public IEnumerable<int> LivePorts => Ports.Where(p => _processes.TryGetValue(p, out var process) && !process.HasExited);

    /// <summary>The port of the primary that owns <paramref name="slot"/>, as a live node sees it.</summary>
    public async Task<int> PrimaryOfSlotAsync(int slot)
        => (await NodesAsync()).Single(n => n.IsPrimary && !n.IsFailed && n.Owns(slot)).Port;

    /// <summary>The ports of the primaries that own slots, as a live node sees it.</summary>
    public async Task<IReadOnlyList<int>> PrimariesAsync()
        => [.. (await NodesAsync()).Where(n => n.IsPrimary && !n.IsFailed && n.SlotRanges.Count > 0).Select(n => n.Port).Order()];

    /// <summary>Waits until every live node reports <c>cluster_state:ok</c>, every live replica's link to its primary is
    /// up, and all live nodes agree on which primary owns every slot.</summary>
    public async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow + s_patience;
        string last = "";
        while (true)
        {
            try
            {
                var (healthy, why) = await CheckHealthAsync();
                if (healthy)
                {
                    return;
                }

                last = why;
            }
            catch (InvalidOperationException ex)
            {
                last = ex.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The Redis Cluster on ports {string.Join(',', Ports)} is not healthy after {s_patience}: {last}");
            }

            await Task.Delay(100);
        }
    }

    private async Task<(bool Healthy, string Why)> CheckHealthAsync()
    {
        string? view = null;
        foreach (int port in LivePorts)
        {
            if (!(await CliAsync(port, "CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return (false, $"{port} is not in cluster_state:ok");
            }

            var nodes = await NodesAsync(port);
            var self = nodes.Single(n => n.IsMyself);
            if (!self.IsPrimary && !(await CliAsync(port, "INFO", "replication")).Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return (false, $"replica {port} has no link to its primary yet");
            }

            var slots = string.Join(' ', nodes.Where(n => n.IsPrimary && !n.IsFailed && n.SlotRanges.Count > 0)
                .OrderBy(n => n.Port).Select(n => $"{n.Port}:{string.Join(',', n.SlotRanges)}"));
            if (view is not null && view != slots)
            {
                return (false, $"nodes disagree on the slots ({view} / {slots})");
            }

            view = slots;
        }

        return (true, "");
    }

    /// <summary>Kills a primary (SIGKILL, like a crash) and waits until one of its replicas owns its slots and the
    /// surviving nodes are healthy. Returns the promoted replica's port.</summary>
    public async Task<int> KillPrimaryAndWaitForFailoverAsync(int primaryPort)
    {
        var before = await NodesAsync(primaryPort);
        var primary = before.Single(n => n.Port == primaryPort && n.IsPrimary);
        var replicas = before.Where(n => n.PrimaryId == primary.Id).Select(n => n.Port).ToHashSet();
        if (replicas.Count == 0)
        {
            throw new InvalidOperationException($"Primary {primaryPort} has no replica to fail over to.");
        }

        Kill(primaryPort);
        var deadline = DateTime.UtcNow + s_patience;
        while (true)
        {
            var promoted = (await NodesAsync()).FirstOrDefault(n => replicas.Contains(n.Port) && n.IsPrimary && n.SlotRanges.Count > 0);
            if (promoted is not null)
            {
                await WaitUntilHealthyAsync();
                return promoted.Port;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"No replica of {primaryPort} took over within {s_patience}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Kills a node's process (SIGKILL); with persistence off its data is gone.</summary>
    public void Kill(int port) => _processes[port].Kill();

    /// <summary>Starts a killed node again with its cluster config: it rejoins (a former primary as a replica).</summary>
    public async Task RestartAsync(int port)
    {
        _processes[port].Dispose();
        StartNode(port);
        await TestPorts.WaitForListenerAsync(port, TimeSpan.FromSeconds(20), () => _processes[port].Output);
        await WaitUntilHealthyAsync();
    }

    /// <summary>Begins moving <paramref name="slot"/> to the primary on <paramref name="targetPort"/>: target
    /// IMPORTING, source MIGRATING. Keys still on the source are served there; keys already moved get <c>-ASK</c>.</summary>
    public async Task BeginSlotMigrationAsync(int slot, int targetPort)
    {
        int source = await PrimaryOfSlotAsync(slot);
        string s = slot.ToString(CultureInfo.InvariantCulture);
        await CliAsync(targetPort, "CLUSTER", "SETSLOT", s, "IMPORTING", await IdOfAsync(source));
        await CliAsync(source, "CLUSTER", "SETSLOT", s, "MIGRATING", await IdOfAsync(targetPort));
    }

    /// <summary>During a migration, moves the given keys (or, when none are given, every key of the slot) with MIGRATE.</summary>
    public async Task MigrateKeysAsync(int slot, int targetPort, params string[] keys)
    {
        int source = await PrimaryOfSlotAsync(slot);
        string s = slot.ToString(CultureInfo.InvariantCulture);
        while (true)
        {
            var batch = keys.Length > 0 ? keys : (await CliAsync(source, "CLUSTER", "GETKEYSINSLOT", s, "100")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (batch.Length == 0)
            {
                return;
            }

            await CliAsync(source, ["MIGRATE", "127.0.0.1", targetPort.ToString(CultureInfo.InvariantCulture), "", "0", "5000", "KEYS", .. batch]);
            if (keys.Length > 0)
            {
                return;
            }
        }
    }

    /// <summary>Ends a migration: moves the keys left, then assigns the slot to the target on the target, the source
    /// and every other primary (the order the cluster specification gives), and waits until all nodes agree.</summary>
    public async Task CompleteSlotMigrationAsync(int slot, int targetPort)
    {
        int source = await PrimaryOfSlotAsync(slot);
        await MigrateKeysAsync(slot, targetPort);
        string s = slot.ToString(CultureInfo.InvariantCulture);
        string target = await IdOfAsync(targetPort);
        await CliAsync(targetPort, "CLUSTER", "SETSLOT", s, "NODE", target);
        await CliAsync(source, "CLUSTER", "SETSLOT", s, "NODE", target);
        foreach (int primary in await PrimariesAsync())
        {
            if (primary != targetPort && primary != source)
            {
                await CliAsync(primary, "CLUSTER", "SETSLOT", s, "NODE", target);
            }
        }

        await WaitUntilHealthyAsync();
    }

    /// <summary>Moves a slot and its keys to the primary on <paramref name="targetPort"/> (resharding).</summary>
    public async Task MigrateSlotAsync(int slot, int targetPort)
    {
        await BeginSlotMigrationAsync(slot, targetPort);
        await CompleteSlotMigrationAsync(slot, targetPort);
    }

    private async Task<string> IdOfAsync(int port) => await CliAsync(port, "CLUSTER", "MYID");

    private void DeleteDirectory() => TempDirectory.DeleteQuietly(_directory);

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values)
        {
            process.Dispose();
        }

        DeleteDirectory();
        return ValueTask.CompletedTask;
    }
}

/// <summary>One line of <c>CLUSTER NODES</c>: id, address, flags, the primary it replicates, its slot ranges.</summary>
public sealed record ClusterNodeInfo(string Id, int Port, IReadOnlySet<string> Flags, string? PrimaryId, IReadOnlyList<string> SlotRanges)
{
    public bool IsPrimary => Flags.Contains("master");

    public bool IsMyself => Flags.Contains("myself");

    public bool IsFailed => Flags.Contains("fail") || Flags.Contains("fail?");

    public bool Owns(int slot) => SlotRanges.Any(range =>
    {
        var parts = range.Split('-');
        int start = int.Parse(parts[0], CultureInfo.InvariantCulture);
        int end = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : start;
        return slot >= start && slot <= end;
    });

    /// <summary><c>id ip:port@bus flags primary ping pong epoch link slot…</c>; importing/migrating markers
    /// (<c>[slot-&lt;-id]</c>) are not ranges.</summary>
    public static ClusterNodeInfo Parse(string line)
    {
        var fields = line.Split(' ');
        var address = fields[1].Split('@')[0];
        int port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        return new ClusterNodeInfo(
            fields[0],
            port,
            fields[2].Split(',').ToHashSet(StringComparer.Ordinal),
            fields[3] == "-" ? null : fields[3],
            [.. fields.Skip(8).Where(f => !f.StartsWith('['))]);
    }
}
