using Stoa.Foundation.Sql;

namespace Stoa.Foundation.Health;

internal sealed class StoreReadinessCheck(StoaDatabase database) : IReadinessCheck
{
    public string Name => "store";

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => database.PingAsync(cancellationToken);
}
