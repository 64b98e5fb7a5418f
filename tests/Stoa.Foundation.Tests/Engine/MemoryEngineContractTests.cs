using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Memory;

namespace Stoa.Foundation.Tests.Engine;

/// <summary>The in-process engine serves one node: both "nodes" of the contract are the same instance.</summary>
public sealed class MemoryEngineContractTests : EngineContractTests
{
    protected override Task<IReadOnlyList<IEngine>> CreateNodesAsync(int count)
    {
        var engine = new MemoryEngine();
        return Task.FromResult<IReadOnlyList<IEngine>>([.. Enumerable.Repeat<IEngine>(engine, count)]);
    }
}
