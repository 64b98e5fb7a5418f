using Microsoft.Extensions.Hosting;
using Stoa.Foundation.Sql;

namespace Stoa.Foundation.Hosting;

/// <summary>Applies pending migrations before the server starts listening (hosted services start first).</summary>
internal sealed class MigrationHostedService(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
