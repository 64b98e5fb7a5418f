using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>The randomised multi-client simulation on the embedded default: SQLite and the in-process engine, one node.</summary>
public sealed class SimulationTests
{
    [Theory]
    [InlineData(20261121)]
    [InlineData(4242)]
    [InlineData(77)]
    public async Task Random_edits_from_many_clients_converge_on_the_embedded_default(int seed)
    {
        await using var app = await DocsApp.StartAsync("sqlite");
        var tenant = await app.CreateTenantAsync();
        var address = app.BaseAddress;
        await EditSimulation.RunAsync(EditSimulation.Seed(seed), tenant, () => address, app.CreateClient, editsPerClient: 60);
    }
}
