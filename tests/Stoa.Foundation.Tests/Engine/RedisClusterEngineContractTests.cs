using Stoa.Foundation.Engine;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Engine;

/// <summary>The same contract on the shared 3+3 Redis Cluster: two engine instances are two nodes, keys spread over
/// the three shards, channels are sharded.</summary>
public sealed class RedisClusterEngineContractTests : EngineContractTests
{
    protected override async Task<IReadOnlyList<IEngine>> CreateNodesAsync(int count) =>
        await RedisEngineContractTests.ConnectNodesAsync((await RedisClusterServer.Shared).Url, count);
}
