namespace Stoa.Foundation.Engine;

/// <summary>
/// Named leases: at most one holder at a time per key, for a bounded time. A holder that stops renewing (crashed,
/// partitioned) loses the lease when it expires, and another node can take it. Release and renewal check the token,
/// so a holder whose lease expired can never release or extend the lease of the next holder. Leases are
/// coordination, not locking for correctness: work done under one must still be safe if two nodes briefly overlap
/// around an expiry (fence writes with versions).
/// </summary>
public interface ILeases
{
    /// <summary>The lease if no one holds it, or null.</summary>
    ValueTask<Lease?> TryAcquireAsync(string key, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Extends a lease still held with this token; false when it was lost.</summary>
    ValueTask<bool> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives the lease up if still held with this token.</summary>
    ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken);
}

public sealed record Lease(string Key, string Token);
