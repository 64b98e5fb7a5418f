using System.Data.Common;
using Stoa.Foundation.Sql;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Sql;

/// <summary>The readiness probe's ping: whether the store answers, not whether the node's pool has a free connection.</summary>
public sealed class StorePingTests
{
    [Fact]
    public async Task Ping_answers_while_every_pooled_connection_is_taken_by_work()
    {
        var url = await TestStores.CreateAsync("postgres");
        await using var database = new StoaDatabase(StoreSettings.Parse(url + (url.Contains('?') ? "&" : "?") + "pool_max=2"));
        var ct = TestContext.Current.CancellationToken;
        var held = new List<DbConnection> { await database.OpenAsync(ct), await database.OpenAsync(ct) };
        try
        {
            // The pool is exhausted: a third connection from it waits (here until its deadline).
            using (var soon = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                soon.CancelAfter(TimeSpan.FromMilliseconds(300));
                await Should.ThrowAsync<OperationCanceledException>(() => database.OpenAsync(soon.Token));
            }

            // The probe's own connection does not wait behind them (the readiness check gives it 2 s).
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(2));
            (await database.PingAsync(deadline.Token)).ShouldBeTrue();
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Ping_is_false_when_nothing_listens_at_the_store_address()
    {
        await using var database = new StoaDatabase(StoreSettings.Parse("postgres://postgres@127.0.0.1:1/stoa?timeout=2"));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(2));
        (await database.PingAsync(deadline.Token)).ShouldBeFalse();
    }
}
