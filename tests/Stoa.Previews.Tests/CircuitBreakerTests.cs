using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

/// <summary>
/// Per-host breakers. Each test owns its service, so its breakers; paths are unique to a test so hit counts are exact.
/// Cool-downs are observed by polling the behaviour, never by timing assertions.
/// </summary>
public sealed class CircuitBreakerTests
{
    private readonly FixtureServer _server;

    public CircuitBreakerTests(FixtureServer server)
    {
        _server = server;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Host => $"127.0.0.1:{_server.Port}";

    private PreviewService Service(Action<PreviewOptions>? configure = null) => _server.CreateService(o =>
    {
        o.BreakerMinimumThroughput = 3;
        o.BreakerFailureRatio = 0.5;
        o.BreakerBreakDuration = TimeSpan.FromMilliseconds(500);
        o.BreakerSamplingDuration = TimeSpan.FromSeconds(30);
        configure?.Invoke(o);
    });

    [Fact]
    public async Task Repeated_5xx_opens_the_breaker_and_the_host_is_not_contacted_until_the_cool_down_ends()
    {
        using var service = Service();
        var changes = new List<BreakerStateChange>();
        service.BreakerStateChanged += change =>
        {
            lock (changes)
            {
                changes.Add(change);
            }
        };
        var url = _server.Url("/status/502");

        for (var i = 0; i < 3; i++)
        {
            (await service.GetAsync(url, Ct).ShouldFail()).UpstreamStatus.ShouldBe(502);
        }

        _server.Hits("/status/502").ShouldBe(3);
        service.GetBreakerState(Host).ShouldBe(BreakerState.Open);
        lock (changes)
        {
            changes.ShouldContain(new BreakerStateChange(Host, BreakerState.Open));
        }

        var open = await service.GetAsync(url, Ct).ShouldFail();
        open.Code.ShouldBe(PreviewErrors.UpstreamCircuitOpen);
        open.HttpStatus.ShouldBe(503);
        open.RetryAfter.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
        _server.Hits("/status/502").ShouldBe(3);

        // After the cool-down one trial request goes through (and, failing again, reopens the breaker).
        var error = await PollUntilNotOpenAsync(service, url);
        error.ShouldNotBeNull().Code.ShouldBe(PreviewErrors.UpstreamStatus);
        _server.Hits("/status/502").ShouldBe(4);
        service.GetBreakerState(Host).ShouldBe(BreakerState.Open);
    }

    [Fact]
    public async Task A_success_after_the_cool_down_closes_the_breaker()
    {
        using var service = Service();
        for (var i = 0; i < 3; i++)
        {
            await service.GetAsync(_server.Url("/status/504"), Ct).ShouldFailWith(PreviewErrors.UpstreamStatus);
        }

        service.GetBreakerState(Host).ShouldBe(BreakerState.Open);
        (await PollUntilNotOpenAsync(service, _server.Url("/pages/no-icons"))).ShouldBeNull();
        service.GetBreakerState(Host).ShouldBe(BreakerState.Closed);
    }

    [Fact]
    public async Task Client_errors_do_not_trip_the_breaker()
    {
        using var service = Service();
        for (var i = 0; i < 8; i++)
        {
            (await service.GetAsync(_server.Url("/status/410"), Ct).ShouldFail()).UpstreamStatus.ShouldBe(410);
        }

        _server.Hits("/status/410").ShouldBe(8);
        service.GetBreakerState(Host).ShouldBe(BreakerState.Closed);
    }

    [Fact]
    public async Task Timeouts_trip_the_breaker()
    {
        using var service = Service(o => o.Timeout = TimeSpan.FromMilliseconds(200));
        for (var i = 0; i < 3; i++)
        {
            await service.GetAsync(_server.Url("/slow"), Ct).ShouldFailWith(PreviewErrors.UpstreamTimeout);
        }

        await service.GetAsync(_server.Url("/slow"), Ct).ShouldFailWith(PreviewErrors.UpstreamCircuitOpen);
    }

    [Fact]
    public async Task Connection_failures_trip_the_breaker_of_that_host_only()
    {
        using var service = Service();
        var refused = new Uri($"http://127.0.0.1:{_server.RefusedPort}/");
        for (var i = 0; i < 3; i++)
        {
            await service.GetAsync(refused, Ct).ShouldFailWith(PreviewErrors.UpstreamUnreachable);
        }

        await service.GetAsync(refused, Ct).ShouldFailWith(PreviewErrors.UpstreamCircuitOpen);
        service.GetBreakerState($"127.0.0.1:{_server.RefusedPort}").ShouldBe(BreakerState.Open);

        // Another host (here: another port) is unaffected.
        (await service.GetAsync(_server.Url("/pages/no-icons"), Ct)).Card.Title.ShouldBe("No icons at all");
        service.GetBreakerState(Host).ShouldBe(BreakerState.Closed);
        service.GetBreakerStates().ShouldContain(new BreakerStateChange($"127.0.0.1:{_server.RefusedPort}", BreakerState.Open));
    }

    /// <returns>The first error that is not circuit_open, or null when a call succeeded.</returns>
    private static async Task<PreviewException?> PollUntilNotOpenAsync(PreviewService service, Uri url)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                await service.GetAsync(url, Ct);
                return null;
            }
            catch (PreviewException ex) when (ex.Code == PreviewErrors.UpstreamCircuitOpen)
            {
                await Task.Delay(100, Ct);
            }
            catch (PreviewException ex)
            {
                return ex;
            }
        }

        throw new InvalidOperationException("The breaker never let a trial request through.");
    }
}
