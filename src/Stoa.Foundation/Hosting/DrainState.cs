namespace Stoa.Foundation.Hosting;

/// <summary>
/// Where the node is in its shutdown: serving; draining (readiness false so balancers move traffic away, still
/// serving); stopping (no longer listening, in-flight work finishing, new requests refused).
/// </summary>
public sealed class DrainState
{
    private readonly CancellationTokenSource _draining = new();
    private volatile bool _stopping;

    public bool IsDraining => _draining.IsCancellationRequested;

    public bool IsStopping => _stopping;

    /// <summary>Cancelled when draining begins: long-lived streams (SSE, WebSockets) close themselves on it.</summary>
    public CancellationToken Draining => _draining.Token;

    public void BeginDraining()
    {
        try
        {
            _draining.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void BeginStopping()
    {
        BeginDraining();
        _stopping = true;
    }
}
