namespace Stoa.Foundation.Engine;

/// <summary>
/// Everything the engine provides. The in-process engine serves one node (embedded default); the Redis engine lets
/// many nodes share state. Both pass the same contract test suite.
/// </summary>
public interface IEngine : IPubSub, IKeyValueStore, ISortedSets, ILeases, IRateLimitBuckets, IEventLogs
{
    /// <summary>"memory" or "redis".</summary>
    string Name { get; }

    INearCache NearCache { get; }

    /// <summary>True when the engine answers within the token's deadline.</summary>
    ValueTask<bool> PingAsync(CancellationToken cancellationToken);
}
