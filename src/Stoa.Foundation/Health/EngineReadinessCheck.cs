using Stoa.Foundation.Engine;

namespace Stoa.Foundation.Health;

internal sealed class EngineReadinessCheck(IEngine engine) : IReadinessCheck
{
    public string Name => "engine";

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => engine.PingAsync(cancellationToken).AsTask();
}
