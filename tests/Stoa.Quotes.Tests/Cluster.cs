using Stoa.Testing;

namespace Stoa.Quotes.Tests;

/// <summary>Three nodes in this process sharing one Redis (the engine) and one PostgreSQL database (the store).</summary>
public sealed class Cluster : IAsyncDisposable
{
    private Cluster(QuotesNode[] nodes, string redisUrl, string store)
    {
        Nodes = nodes;
        RedisUrl = redisUrl;
        Store = store;
    }

    public QuotesNode[] Nodes { get; }

    public string RedisUrl { get; }

    public string Store { get; }

    public static async Task<Cluster> StartAsync(string redisUrl, IReadOnlyDictionary<string, string?>? settings = null, int size = 3)
    {
        var store = await TestStores.CreateAsync("postgres");
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Stoa:Redis"] = redisUrl };
        var nodes = new QuotesNode[size];
        // One after the other: the first applies the migrations before the others look at the schema.
        for (var i = 0; i < size; i++)
        {
            nodes[i] = await QuotesNode.StartAsync(all, store);
        }

        return new Cluster(nodes, redisUrl, store);
    }

    /// <summary>The same app (tenant) as seen through each node.</summary>
    public async Task<TestTenant[]> CreateTenantAsync()
    {
        var tenant = await Nodes[0].CreateTenantAsync();
        return [.. Nodes.Select(n => new TestTenant(tenant.ApiKey, tenant.Secret, n.CreateClient))];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
