using System.Diagnostics.Metrics;
using Stoa.Previews.Core;

namespace Stoa.Previews.Tests;

public sealed class MetricsTests
{
    private readonly FixtureServer _server;

    public MetricsTests(FixtureServer server)
    {
        _server = server;
    }

    [Fact]
    public async Task Upstream_duration_bytes_and_open_breakers_are_measured_without_naming_hosts()
    {
        using var service = _server.CreateService(o =>
        {
            o.BreakerMinimumThroughput = 2;
            o.BreakerBreakDuration = TimeSpan.FromSeconds(30);
        });
        var durations = new List<(double Value, string? Outcome)>();
        long bytes = 0;
        var states = new List<(int Value, string? State, string? Host)>();

        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, service.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "stoa.previews.upstream.duration")
            {
                lock (durations)
                {
                    durations.Add((value, Tag(tags, "outcome")));
                }
            }
        });
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "stoa.previews.upstream.bytes")
            {
                Interlocked.Add(ref bytes, value);
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "stoa.previews.breakers")
            {
                states.Add((value, Tag(tags, "state"), Tag(tags, "host")));
            }
        });
        listener.Start();

        await service.GetAsync(_server.Url("/pages/og-only"), TestContext.Current.CancellationToken);
        lock (durations)
        {
            durations.ShouldContain(d => d.Outcome == "ok" && d.Value >= 0);
        }

        Interlocked.Read(ref bytes).ShouldBeGreaterThan(0);

        var refused = new Uri($"http://127.0.0.1:{_server.RefusedPort}/");
        for (var i = 0; i < 2; i++)
        {
            await service.GetAsync(refused, TestContext.Current.CancellationToken).ShouldFailWith(PreviewErrors.UpstreamUnreachable);
        }

        listener.RecordObservableInstruments();
        states.ShouldContain((1, "open", null));
        states.ShouldContain((0, "half_open", null));
        states.ShouldAllBe(s => s.Host == null);
        service.GetBreakerState($"127.0.0.1:{_server.RefusedPort}").ShouldBe(BreakerState.Open);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
