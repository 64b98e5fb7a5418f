using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Redis;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Engine;

/// <summary>The same contract on a real redis-server: two engine instances are two nodes.</summary>
public sealed class RedisEngineContractTests : EngineContractTests
{
    protected override async Task<IReadOnlyList<IEngine>> CreateNodesAsync(int count) =>
        await ConnectNodesAsync((await RedisServer.Shared).Url, count);

    /// <summary><paramref name="count"/> engines on the Redis (or Redis Cluster) at <paramref name="url"/>.</summary>
    internal static async Task<IReadOnlyList<IEngine>> ConnectNodesAsync(string url, int count)
    {
        var nodes = new List<IEngine>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(await RedisEngine.ConnectAsync(url, null, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        }

        return nodes;
    }
}
