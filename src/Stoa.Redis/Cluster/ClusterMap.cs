using Stoa.Redis.Protocol;

namespace Stoa.Redis.Cluster;

/// <summary>
/// Which primary owns each of the 16384 slots, as one node described the cluster (<c>CLUSTER SHARDS</c>, or
/// <c>CLUSTER SLOTS</c> on servers without it). A <c>MOVED</c> redirect patches one slot in place until the next
/// refresh replaces the whole map; readers may see a slot's old owner for a moment, which costs one more redirect.
/// </summary>
internal sealed class ClusterMap
{
    private readonly Lock _gate = new();
    private readonly short[] _owners;
    private volatile RedisEndpoint[] _nodes;

    private ClusterMap(short[] owners, RedisEndpoint[] nodes)
    {
        _owners = owners;
        _nodes = nodes;
    }

    /// <summary>Every primary this map has assigned a slot to (including one a redirect named).</summary>
    public IReadOnlyList<RedisEndpoint> Primaries => _nodes;

    /// <summary>The primary serving <paramref name="slot"/>, or null when no node does (the cluster is incomplete).</summary>
    public RedisEndpoint? OwnerOf(int slot)
    {
        int index = Volatile.Read(ref _owners[slot]);
        return index < 0 ? null : _nodes[index];
    }

    /// <summary>Records a <c>MOVED</c>: the slot is now served by <paramref name="endpoint"/>.</summary>
    public void Patch(int slot, RedisEndpoint endpoint)
    {
        lock (_gate)
        {
            var nodes = _nodes;
            int index = Array.IndexOf(nodes, endpoint);
            if (index < 0)
            {
                index = nodes.Length;
                _nodes = [.. nodes, endpoint];
            }

            Volatile.Write(ref _owners[slot], (short)index);
        }
    }

    /// <summary>True when both maps send every slot to the same primary.</summary>
    public bool SameAs(ClusterMap other)
    {
        for (int slot = 0; slot < RedisHashSlot.Count; slot++)
        {
            if (OwnerOf(slot) != other.OwnerOf(slot))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Parses a <c>CLUSTER SHARDS</c> reply (Redis 7): an array of shards, each a map (an array of alternating names
    /// and values in RESP2) with <c>slots</c> (start, end pairs) and <c>nodes</c>. The shard's primary is its node
    /// with role <c>master</c>, preferring one whose health is <c>online</c>; a failed node's shard keeps it only when
    /// it has no other.
    /// </summary>
    /// <param name="source">The node that answered: its host stands in for an endpoint the node does not know.</param>
    /// <exception cref="RedisProtocolException">The reply does not have that shape.</exception>
    public static ClusterMap FromShards(in RespValue reply, RedisEndpoint source, bool useTls)
    {
        var builder = new Builder();
        foreach (var shard in Aggregate(reply, "CLUSTER SHARDS"))
        {
            RespValue slots = default;
            RespValue nodes = default;
            var fields = Aggregate(shard, "a CLUSTER SHARDS shard");
            for (int i = 0; i + 1 < fields.Length; i += 2)
            {
                if (fields[i].Span.SequenceEqual("slots"u8))
                {
                    slots = fields[i + 1];
                }
                else if (fields[i].Span.SequenceEqual("nodes"u8))
                {
                    nodes = fields[i + 1];
                }
            }

            var ranges = Aggregate(slots, "a shard's slots");
            if (ranges.Length == 0)
            {
                continue;
            }

            var primary = PrimaryOf(Aggregate(nodes, "a shard's nodes"), source, useTls)
                ?? throw new RedisProtocolException("A CLUSTER SHARDS shard with slots lists no primary.");
            for (int i = 0; i + 1 < ranges.Length; i += 2)
            {
                builder.Assign(Number(ranges[i]), Number(ranges[i + 1]), primary);
            }
        }

        return builder.Build();
    }

    private static RedisEndpoint? PrimaryOf(ReadOnlySpan<RespValue> nodes, RedisEndpoint source, bool useTls)
    {
        RedisEndpoint? failed = null;
        foreach (var node in nodes)
        {
            var fields = Aggregate(node, "a CLUSTER SHARDS node");
            string? role = null;
            string? health = null;
            string? endpoint = null;
            string? ip = null;
            long? port = null;
            long? tlsPort = null;
            for (int i = 0; i + 1 < fields.Length; i += 2)
            {
                var value = fields[i + 1];
                switch (fields[i].AsString())
                {
                    case "role":
                        role = value.AsString();
                        break;
                    case "health":
                        health = value.AsString();
                        break;
                    case "endpoint":
                        endpoint = value.AsString();
                        break;
                    case "ip":
                        ip = value.AsString();
                        break;
                    case "port":
                        port = Number(value);
                        break;
                    case "tls-port":
                        tlsPort = Number(value);
                        break;
                }
            }

            if (role != "master")
            {
                continue;
            }

            long? chosenPort = useTls ? tlsPort ?? port : port ?? tlsPort;
            if (chosenPort is not > 0)
            {
                continue;
            }

            var address = new RedisEndpoint(HostOrSource(endpoint, HostOrSource(ip, source.Host)), (int)chosenPort.Value);
            if (health is null or "online")
            {
                return address;
            }

            failed ??= address;
        }

        return failed;
    }

    /// <summary>
    /// Parses a <c>CLUSTER SLOTS</c> reply: an array of [start, end, [host, port, id, …], replica…]; the first node of
    /// each range is its primary. An empty host means "the node you asked", <c>?</c> an unknown one (the same).
    /// </summary>
    /// <exception cref="RedisProtocolException">The reply does not have that shape.</exception>
    public static ClusterMap FromSlots(in RespValue reply, RedisEndpoint source)
    {
        var builder = new Builder();
        foreach (var range in Aggregate(reply, "CLUSTER SLOTS"))
        {
            var items = Aggregate(range, "a CLUSTER SLOTS range");
            if (items.Length < 3)
            {
                throw new RedisProtocolException("A CLUSTER SLOTS range has no primary.");
            }

            var primary = Aggregate(items[2], "a CLUSTER SLOTS node");
            if (primary.Length < 2)
            {
                throw new RedisProtocolException("A CLUSTER SLOTS node has no port.");
            }

            var endpoint = new RedisEndpoint(HostOrSource(primary[0].AsString(), source.Host), (int)Number(primary[1]));
            builder.Assign(Number(items[0]), Number(items[1]), endpoint);
        }

        return builder.Build();
    }

    private static string HostOrSource(string? host, string source) => host is null or "" or "?" ? source : host;

    private static ReadOnlySpan<RespValue> Aggregate(in RespValue value, string what)
        => value.IsAggregate ? value.Items : throw new RedisProtocolException($"Expected an aggregate for {what}, got {value.Type}.");

    private static long Number(in RespValue value)
    {
        try
        {
            return value.AsInt64();
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
        {
            throw new RedisProtocolException($"Expected a number in the cluster map, got {value.Type}.", ex);
        }
    }

    private sealed class Builder
    {
        private readonly short[] _owners = CreateOwners();
        private readonly List<RedisEndpoint> _nodes = [];

        public void Assign(long start, long end, RedisEndpoint endpoint)
        {
            if (start < 0 || end >= RedisHashSlot.Count || start > end)
            {
                throw new RedisProtocolException($"The cluster map has an invalid slot range {start}-{end}.");
            }

            int index = _nodes.IndexOf(endpoint);
            if (index < 0)
            {
                index = _nodes.Count;
                _nodes.Add(endpoint);
            }

            _owners.AsSpan((int)start, (int)(end - start + 1)).Fill((short)index);
        }

        public ClusterMap Build() => new(_owners, [.. _nodes]);

        private static short[] CreateOwners()
        {
            var owners = new short[RedisHashSlot.Count];
            owners.AsSpan().Fill(-1);
            return owners;
        }
    }
}
