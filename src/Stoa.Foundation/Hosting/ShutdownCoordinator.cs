using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Stoa.Foundation.Hosting;

/// <summary>
/// Runs first when the host stops (SIGTERM): readiness turns false, the node keeps serving for the configured delay
/// so that load balancers notice, then it stops listening while in-flight requests finish within the host's
/// shutdown timeout.
/// </summary>
internal sealed class ShutdownCoordinator(DrainState drain, IOptions<StoaOptions> options) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        drain.BeginDraining();
        var delay = TimeSpan.FromSeconds(options.Value.ShutdownDelaySeconds);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        drain.BeginStopping();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
