using System.Globalization;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Cluster;

internal static class ClusterFixture
{
    /// <summary>
    /// The tests that read the shared cluster's redirect counters (INFO errorstats, server-wide) and the tests that
    /// cause redirects run one at a time in this collection; in parallel, one test's MOVED showed up in another's count.
    /// </summary>
    public const string RedirectCounters = "redis cluster redirect counters";

    /// <summary>Options for a cluster with a deadline generous enough for a failover (node timeout 2 s + election).</summary>
    public static RedisOptions Options(RedisClusterServer cluster, string? clientName = null)
    {
        var options = RedisOptions.Parse(cluster.Url);
        options.CommandTimeout = TimeSpan.FromSeconds(15);
        options.ClientName = clientName;
        return options;
    }

    /// <summary>A fresh <c>{hash tag}</c> (with a trailing ':') whose slot the primary on <paramref name="primaryPort"/> owns.</summary>
    public static async Task<string> TagOnAsync(RedisClusterServer cluster, int primaryPort)
    {
        var owner = (await cluster.NodesAsync()).Single(n => n.Port == primaryPort);
        while (true)
        {
            string tag = "{" + RedisServer.NewPrefix() + "}:";
            if (owner.Owns(RedisHashSlot.Of(tag)))
            {
                return tag;
            }
        }
    }

    /// <summary>A fresh tag per primary that owns slots, keyed by the primary's port.</summary>
    public static async Task<Dictionary<int, string>> TagPerPrimaryAsync(RedisClusterServer cluster)
    {
        var tags = new Dictionary<int, string>();
        foreach (int port in await cluster.PrimariesAsync())
        {
            tags[port] = await TagOnAsync(cluster, port);
        }

        return tags;
    }

    /// <summary>A counter of <c>INFO errorstats</c> (errorstat_MOVED, errorstat_ASK) on one node.</summary>
    public static async Task<long> ErrorCountAsync(RedisClusterServer cluster, int port, string prefix)
    {
        string stats = await cluster.CliAsync(port, "INFO", "errorstats");
        string marker = $"errorstat_{prefix}:count=";
        foreach (string line in stats.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith(marker, StringComparison.Ordinal))
            {
                return long.Parse(line[marker.Length..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>Closes, on one node, the connections of clients with the given name (CLIENT KILL by id).</summary>
    public static async Task KillClientsNamedAsync(RedisClusterServer cluster, int port, string name)
    {
        string list = await cluster.CliAsync(port, "CLIENT", "LIST");
        var ids = list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains(" name=" + name + " ", StringComparison.Ordinal))
            .Select(l => l.Split(' ').First(p => p.StartsWith("id=", StringComparison.Ordinal))[3..])
            .ToList();
        ids.ShouldNotBeEmpty($"a client named {name} is connected to {port}");
        foreach (string id in ids)
        {
            await cluster.CliAsync(port, "CLIENT", "KILL", "ID", id);
        }
    }

    /// <summary>The CLIENT LIST flags of the clients with the given name on one node.</summary>
    public static async Task<IReadOnlyList<string>> ClientFlagsAsync(RedisClusterServer cluster, int port, string name)
    {
        string list = await cluster.CliAsync(port, "CLIENT", "LIST");
        return [.. list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains(" name=" + name + " ", StringComparison.Ordinal))
            .Select(l => l.Split(' ').First(p => p.StartsWith("flags=", StringComparison.Ordinal))[6..])];
    }
}
