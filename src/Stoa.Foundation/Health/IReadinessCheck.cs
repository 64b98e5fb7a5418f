namespace Stoa.Foundation.Health;

/// <summary>A dependency that must answer for the node to receive traffic (store, engine…).</summary>
public interface IReadinessCheck
{
    string Name { get; }

    /// <summary>True when the dependency answered within the token's deadline.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);
}
