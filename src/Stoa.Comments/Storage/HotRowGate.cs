namespace Stoa.Comments.Storage;

/// <summary>
/// Queues this node's writes to one comment's counters one behind the other. Under SERIALIZABLE, PostgreSQL aborts
/// every transaction that waited on a row lock another transaction then changed (40001): 200 users voting on one hot
/// comment from one node would spend their retries fighting each other. Queued locally, a node sends one such
/// transaction at a time per comment; conflicts with other nodes remain and are retried by the store. On SQLite the
/// queue also spares writers the busy-wait on the database lock.
/// </summary>
internal sealed class HotRowGate
{
    private readonly Dictionary<(Guid App, Guid Id), Entry> _entries = [];

    public async Task<T> RunAsync<T>(Guid appId, Guid id, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var key = (appId, id);
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                _entries[key] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
            try
            {
                return await work();
            }
            finally
            {
                entry.Semaphore.Release();
            }
        }
        finally
        {
            lock (_entries)
            {
                if (--entry.Users == 0)
                {
                    _entries.Remove(key);
                    entry.Semaphore.Dispose();
                }
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
