using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// The simulation over 1 to 3 in-process nodes sharing one PostgreSQL database and one Redis (the scaled-out setup):
/// clients are spread over the nodes, nodes restart under them, and every node relays ops in version order, filling
/// gaps from the store.
/// </summary>
public sealed class MultiNodeTests
{
    [Theory]
    [InlineData(20261121, 3, TestEngines.Redis)]
    [InlineData(31337, 2, TestEngines.Redis)]
    [InlineData(5, 1, TestEngines.Redis)]
    [InlineData(20261206, 3, TestEngines.RedisCluster)]
    public async Task Random_edits_over_nodes_on_postgres_and_redis_converge(int seed, int nodeCount, string engine)
    {
        var store = await TestStores.CreateAsync("postgres");
        var settings = new Dictionary<string, string?> { ["Stoa:Redis"] = await TestEngines.UrlAsync(engine) };
        var nodes = new List<DocsApp>();
        var gate = new object();
        var restarts = 0;
        try
        {
            for (var i = 0; i < nodeCount; i++)
            {
                var node = new DocsApp(store, settings);
                node.StartServer();
                nodes.Add(node);
            }

            var tenant = await nodes[0].CreateTenantAsync();
            var addresses = nodes.Select(n => n.BaseAddress).ToList();

            Uri PickNode()
            {
                lock (gate)
                {
                    return addresses[Random.Shared.Next(addresses.Count)];
                }
            }

            async Task ChaosAsync(Random random, CancellationToken stop)
            {
                if (nodeCount < 2)
                {
                    return;
                }

                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(random.Next(100, 400), stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    // Restart one node: its sockets get a close frame and their clients move to the others.
                    var index = random.Next(nodeCount);
                    DocsApp old;
                    lock (gate)
                    {
                        old = nodes[index];
                        addresses.Remove(old.BaseAddress);
                    }

                    await old.DisposeAsync();
                    var fresh = new DocsApp(store, settings);
                    fresh.StartServer();
                    lock (gate)
                    {
                        nodes[index] = fresh;
                        addresses.Add(fresh.BaseAddress);
                    }

                    restarts++;
                }
            }

            await EditSimulation.RunAsync(EditSimulation.Seed(seed), tenant, PickNode, () => new HttpClient { BaseAddress = PickNode() }, editsPerClient: 80, ChaosAsync);
            TestContext.Current.TestOutputHelper?.WriteLine($"{nodeCount} nodes, {restarts} restarts");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
