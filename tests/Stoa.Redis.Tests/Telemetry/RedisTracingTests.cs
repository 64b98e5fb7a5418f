using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Telemetry;

/// <summary>
/// Inside a trace each command is a client span by the database semantic conventions, without a key or a value in
/// any attribute; a pipeline flush that carried traced commands is a span of its own, linked to them; every command is
/// measured as <c>db.client.operation.duration</c>.
/// </summary>
public sealed class RedisTracingTests : IDisposable
{
    private static readonly ActivitySource s_test = new("Stoa.Tests.RedisTracing");
    private readonly RecordedSpans _spans = new();
    private readonly TracerProvider _provider;

    public RedisTracingTests()
    {
        _provider = Sdk.CreateTracerProviderBuilder().AddSource(s_test.Name, "Stoa.Redis").AddInMemoryExporter(_spans).Build();
    }

    [Fact]
    public async Task A_command_is_a_client_span_named_by_its_command_without_keys_or_values()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        var key = RedisServer.NewPrefix() + "secret-key";
        ActivityTraceId traceId;
        using (var root = s_test.StartActivity("test"))
        {
            traceId = root!.TraceId;
            await client.SetAsync(key, "secret-value");
            (await client.GetAsync(key)).ShouldBe("secret-value");
        }

        var commands = _spans.ForTrace(traceId).Where(s => s.Source.Name == "Stoa.Redis" && s.Kind == ActivityKind.Client
            && s.GetTagItem("db.operation.name") is not null).ToList();
        commands.Select(s => s.DisplayName).ShouldBe(["SET", "GET"], _spans.Describe(traceId));
        var options = await RedisFixture.SharedOptionsAsync();
        foreach (var span in commands)
        {
            span.GetTagItem("db.system.name").ShouldBe("redis");
            span.GetTagItem("db.system").ShouldBe("redis");
            span.GetTagItem("db.operation.name").ShouldBe(span.DisplayName);
            span.GetTagItem("db.namespace").ShouldBe(0);
            span.GetTagItem("server.address").ShouldBe(options.Host);
            span.GetTagItem("server.port").ShouldBe(options.Port);
            span.Status.ShouldBe(ActivityStatusCode.Unset);
            span.TagObjects.ShouldAllBe(t => !(t.Value is string) || !((string)t.Value).Contains("secret", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_error_reply_ends_the_span_in_error_with_the_redis_code()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        var key = RedisServer.NewPrefix() + "list";
        await client.ExecuteAsync("RPUSH", key, "x");
        ActivityTraceId traceId;
        using (var root = s_test.StartActivity("test"))
        {
            traceId = root!.TraceId;
            await Should.ThrowAsync<RedisServerException>(async () => await client.GetAsync(key));
        }

        var get = _spans.ForTrace(traceId).Single(s => s.DisplayName == "GET");
        get.Status.ShouldBe(ActivityStatusCode.Error);
        get.GetTagItem("error.type").ShouldBe("WRONGTYPE");
    }

    [Fact]
    public async Task Commands_outside_any_trace_make_no_span()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        Activity.Current = null;
        var before = _spans.Count(s => s.Source.Name == "Stoa.Redis" && s.GetTagItem("db.operation.name") is "ECHO");
        await client.ExecuteAsync("ECHO", "untraced");
        _spans.Count(s => s.Source.Name == "Stoa.Redis" && s.GetTagItem("db.operation.name") is "ECHO").ShouldBe(before);
    }

    [Fact]
    public async Task A_flush_that_carries_traced_commands_is_a_span_linked_to_them()
    {
        await using var client = await RedisFixture.ConnectSharedAsync();
        var prefix = RedisServer.NewPrefix();
        ActivityTraceId traceId;
        using (var root = s_test.StartActivity("test"))
        {
            traceId = root!.TraceId;
            // Many concurrent callers: the writer sends several commands per flush.
            await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.SetAsync(prefix + i, "v").AsTask()));
        }

        // A flush span ends when the writer's flush returns, which may be after the replies came back.
        static int Carried(IEnumerable<Activity> flushes) => flushes.Sum(f => (int)f.GetTagItem("db.operation.batch.size")!);
        await RedisFixture.EventuallyAsync(() => Task.FromResult(Carried(Flushes()) >= 50), "the flushes that carried the 50 commands have ended");

        var sets = _spans.ForTrace(traceId).Where(s => s.DisplayName == "SET").ToDictionary(s => s.SpanId);
        sets.Count.ShouldBe(50);
        var flushes = Flushes();
        Carried(flushes).ShouldBe(50, "this client sent nothing else, and every command was traced");
        foreach (var flush in flushes)
        {
            flush.Kind.ShouldBe(ActivityKind.Client);
            flush.GetTagItem("db.system.name").ShouldBe("redis");
            sets.ShouldContainKey(flush.ParentSpanId, "a flush is the child of the first traced command it carried");
            flush.Links.ShouldAllBe(l => sets.ContainsKey(l.Context.SpanId));
            flush.Links.Count().ShouldBe(Math.Min(32, (int)flush.GetTagItem("db.operation.batch.size")! - 1), "the others are linked, 32 at most");
        }

        List<Activity> Flushes() => [.. _spans.ForTrace(traceId).Where(s => s.DisplayName == "redis.pipeline.flush")];
    }

    [Fact]
    public async Task Every_command_is_measured_by_name_and_outcome()
    {
        var measured = new List<(string? Operation, string? Error)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Stoa.Redis" && instrument.Name == "db.client.operation.duration" && instrument.Unit == "s")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            string? operation = null, error = null;
            foreach (var (key, value) in tags)
            {
                operation = key == "db.operation.name" ? value as string : operation;
                error = key == "error.type" ? value as string : error;
            }

            lock (measured)
            {
                measured.Add((operation, error));
            }
        });
        listener.Start();

        await using var client = await RedisFixture.ConnectSharedAsync();
        var key = RedisServer.NewPrefix() + "measured";
        await client.ExecuteAsync("HSET", key, "f", "v");
        await Should.ThrowAsync<RedisServerException>(async () => await client.GetAsync(key));

        lock (measured)
        {
            measured.ShouldContain(("HSET", null));
            measured.ShouldContain(("GET", "WRONGTYPE"));
        }
    }

    public void Dispose() => _provider.Dispose();
}
