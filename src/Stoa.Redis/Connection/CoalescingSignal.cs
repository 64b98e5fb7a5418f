namespace Stoa.Redis.Connection;

/// <summary>
/// Wakes one background loop (the cluster map refresher, the sharded resubscriber): any number of requests made
/// before the loop wakes are served by one round. Cheap and non-blocking, so a socket reader may call
/// <see cref="Set"/>.
/// </summary>
internal sealed class CoalescingSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller set it at the same moment: one round serves both.
            }
        }
    }

    /// <summary>Waits until <see cref="Set"/> or the timeout (infinite allowed); true when set.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
