using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Redis;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Engine;

/// <summary>The same contract on a real redis-server: two engine instances are two nodes.</summary>
public sealed class RedisEngineContractTests : EngineContractTests
{
    protected override async Task<IReadOnlyList<IEngine>> CreateNodesAsync(int count)
    {
        var redis = await RedisServer.Shared;
        var nodes = new List<IEngine>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(await RedisEngine.ConnectAsync(redis.Url, null, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        }

        return nodes;
    }
}
