namespace Stoa.Foundation.Engine.Memory;

public sealed partial class MemoryEngine
{
    public ValueTask<Lease?> TryAcquireAsync(string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Find(key) is not null)
            {
                return ValueTask.FromResult<Lease?>(null);
            }

            var token = Guid.NewGuid().ToString("N");
            Store(key, new Entry { LeaseToken = token, ExpiresAt = ExpiryFor(ttl) });
            return ValueTask.FromResult<Lease?>(new Lease(key, token));
        }
    }

    public ValueTask<bool> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Find(lease.Key) is { } entry && entry.LeaseToken == lease.Token)
            {
                entry.ExpiresAt = ExpiryFor(ttl);
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    public ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Find(lease.Key) is { } entry && entry.LeaseToken == lease.Token)
            {
                Drop(lease.Key);
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }
}
