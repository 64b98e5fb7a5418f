using Stoa.Foundation.Engine;
using Stoa.Redis;

namespace Stoa.Quotes.Tests;

/// <summary>
/// A node's leases whose connection to the engine can be cut, as when its process dies: from then on every call fails
/// the way a lost Redis connection does, so the node can neither renew, release nor take a lease, and what it held
/// has to expire.
/// </summary>
internal sealed class SeverableLeases(ILeases inner) : ILeases
{
    private volatile bool _severed;

    public void Sever() => _severed = true;

    public ValueTask<Lease?> TryAcquireAsync(string key, TimeSpan ttl, CancellationToken cancellationToken) =>
        _severed ? ValueTask.FromException<Lease?>(Lost()) : inner.TryAcquireAsync(key, ttl, cancellationToken);

    public ValueTask<bool> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken) =>
        _severed ? ValueTask.FromException<bool>(Lost()) : inner.RenewAsync(lease, ttl, cancellationToken);

    public ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken) =>
        _severed ? ValueTask.FromException<bool>(Lost()) : inner.ReleaseAsync(lease, cancellationToken);

    private static RedisConnectionException Lost() => new("The connection to the engine was cut.");
}
