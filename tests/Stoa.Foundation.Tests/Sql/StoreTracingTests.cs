using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dapper;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Stoa.Foundation.Sql;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Sql;

/// <summary>
/// Inside a trace, each store transaction attempt is a span with its statements under it: SQLite's from the store
/// itself, PostgreSQL's from Npgsql's instrumentation. A retried attempt ends in error with the database's code.
/// </summary>
public sealed class StoreTracingTests : IDisposable
{
    private static readonly ActivitySource s_test = new("Stoa.Tests.StoreTracing");
    private readonly RecordedSpans _spans = new();
    private readonly TracerProvider _provider;

    public StoreTracingTests()
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(s_test.Name, "Stoa.Store")
            .AddNpgsql()
            .AddInMemoryExporter(_spans)
            .Build();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite", "sqlite_5")]
    [InlineData("postgres", "40001")]
    public async Task Each_attempt_is_a_span_with_its_statements_and_a_lost_one_says_why(string kind, string errorType)
    {
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync(kind)));
        await CreateTableAsync(database);

        ActivityTraceId traceId;
        using (var root = s_test.StartActivity("test"))
        {
            traceId = root!.TraceId;
            var attempts = 0;
            await database.InTransactionAsync("probe", async (c, t) =>
            {
                await c.ExecuteAsync("INSERT INTO traced_items (id, value) VALUES (@id, 1)", new { id = ++attempts }, t);
                if (attempts == 1)
                {
                    throw Conflict(kind);
                }

                return true;
            }, Ct);
        }

        var spans = _spans.ForTrace(traceId);
        var transactions = spans.Where(s => s.DisplayName == "probe.transaction").OrderBy(s => s.StartTimeUtc).ToList();
        transactions.Count.ShouldBe(2, _spans.Describe(traceId));
        transactions.Select(s => s.GetTagItem("stoa.store.attempt")).ShouldBe([1, 2]);
        transactions[0].Status.ShouldBe(ActivityStatusCode.Error);
        transactions[0].GetTagItem("error.type").ShouldBe(errorType);
        transactions[1].Status.ShouldBe(ActivityStatusCode.Unset);
        foreach (var transaction in transactions)
        {
            var insert = spans.Single(s => s.ParentSpanId == transaction.SpanId && s.Kind == ActivityKind.Client
                && (s.GetTagItem("db.query.text") as string ?? "").StartsWith("INSERT INTO traced_items", StringComparison.Ordinal));
            insert.GetTagItem("db.system.name").ShouldBe(kind == "sqlite" ? "sqlite" : "postgresql");
        }
    }

    [Fact]
    public async Task A_sqlite_statement_span_follows_the_database_conventions_and_covers_its_rows()
    {
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync("sqlite")));
        await CreateTableAsync(database);
        ActivityTraceId traceId;
        using (var root = s_test.StartActivity("test"))
        {
            traceId = root!.TraceId;
            await database.InTransactionAsync("probe", (c, t) => c.ExecuteAsync("INSERT INTO traced_items (id, value) VALUES (1, 2), (2, 3)", transaction: t), Ct);
            await using var connection = await database.OpenAsync("probe", Ct);
            (await connection.QueryAsync<long>("SELECT value FROM traced_items ORDER BY id")).ShouldBe([2L, 3L]);
            Activity.Current.ShouldBe(root, "a statement span never stays the current one");
        }

        var spans = _spans.ForTrace(traceId);
        var select = spans.Single(s => s.DisplayName == "SELECT traced_items");
        select.Kind.ShouldBe(ActivityKind.Client);
        select.Source.Name.ShouldBe("Stoa.Store");
        select.GetTagItem("db.system.name").ShouldBe("sqlite");
        select.GetTagItem("db.system").ShouldBe("sqlite");
        select.GetTagItem("db.operation.name").ShouldBe("SELECT");
        select.GetTagItem("db.collection.name").ShouldBe("traced_items");
        select.GetTagItem("db.namespace").ShouldBe("stoa.db");
        select.GetTagItem("db.query.text").ShouldBe("SELECT value FROM traced_items ORDER BY id");
        spans.ShouldContain(s => s.DisplayName == "COMMIT" && s.Source.Name == "Stoa.Store", "SQLite's commit syncs the log: it is measured");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Statements_outside_any_trace_make_no_span(string kind)
    {
        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync(kind)));
        Activity.Current = null;
        var marker = "untraced_" + Guid.NewGuid().ToString("N");
        await using (var connection = await database.OpenAsync(Ct))
        {
            await connection.ExecuteAsync($"CREATE TABLE {marker} (id INTEGER PRIMARY KEY)");
        }

        _spans.ShouldNotContain(s => (s.GetTagItem("db.query.text") as string ?? "").Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sqlite_statements_are_measured_as_db_client_operations()
    {
        var measured = new List<(string? Operation, string? Error)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Stoa.Store" && instrument.Name == "db.client.operation.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            string? operation = null, error = null, system = null;
            foreach (var (key, value) in tags)
            {
                operation = key == "db.operation.name" ? value as string : operation;
                error = key == "error.type" ? value as string : error;
                system = key == "db.system.name" ? value as string : system;
            }

            if (system == "sqlite")
            {
                lock (measured)
                {
                    measured.Add((operation, error));
                }
            }
        });
        listener.Start();

        await using var database = new StoaDatabase(StoreSettings.Parse(await TestStores.CreateAsync("sqlite")));
        await CreateTableAsync(database);
        await using var connection = await database.OpenAsync(Ct);
        await connection.ExecuteAsync("INSERT INTO traced_items (id, value) VALUES (1, 1)");
        await Should.ThrowAsync<Microsoft.Data.Sqlite.SqliteException>(() => connection.ExecuteAsync("INSERT INTO traced_items (id, value) VALUES (1, 1)"));

        lock (measured)
        {
            measured.ShouldContain(("INSERT", null));
            measured.ShouldContain(("INSERT", "sqlite_19"), "a constraint failure is measured with its code");
        }
    }

    public void Dispose() => _provider.Dispose();

    private static async Task CreateTableAsync(StoaDatabase database)
    {
        await using var setup = await database.OpenAsync(Ct);
        await setup.ExecuteAsync("CREATE TABLE traced_items (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)");
    }

    private static Exception Conflict(string kind) => kind == "sqlite"
        ? new Microsoft.Data.Sqlite.SqliteException("database is locked", 5)
        : new PostgresException("could not serialize access", "ERROR", "ERROR", "40001");
}
