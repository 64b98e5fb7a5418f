using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

public sealed class HostCircuitBreakersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Table_is_bounded_and_keeps_open_breakers()
    {
        var options = new PreviewOptions { MaxTrackedHosts = 20, BreakerMinimumThroughput = 2, BreakerFailureRatio = 0.5 };
        var breakers = new HostCircuitBreakers(options, TimeProvider.System);
        for (var i = 0; i < 2; i++)
        {
            await Should.ThrowAsync<PreviewException>(async () => await breakers.ExecuteAsync<int>(
                "failing.example", _ => throw new PreviewException(PreviewErrors.UpstreamUnreachable), Ct));
        }

        breakers.GetState("failing.example").ShouldBe(BreakerState.Open);
        for (var i = 0; i < 500; i++)
        {
            await breakers.ExecuteAsync($"host{i}.example", _ => ValueTask.FromResult(i), Ct);
        }

        breakers.Count.ShouldBeLessThanOrEqualTo(options.MaxTrackedHosts + 1);
        breakers.GetState("failing.example").ShouldBe(BreakerState.Open);
    }

    [Theory]
    [InlineData(PreviewErrors.UpstreamTimeout, null, true)]
    [InlineData(PreviewErrors.UpstreamUnreachable, null, true)]
    [InlineData(PreviewErrors.UpstreamStatus, 500, true)]
    [InlineData(PreviewErrors.UpstreamStatus, 503, true)]
    [InlineData(PreviewErrors.UpstreamStatus, 404, false)]
    [InlineData(PreviewErrors.UpstreamStatus, 429, false)]
    [InlineData(PreviewErrors.UrlNotAllowed, null, false)]
    [InlineData(PreviewErrors.UpstreamTooLarge, null, false)]
    public void Only_host_failures_count(string code, int? status, bool counts)
    {
        HostCircuitBreakers.IsHostFailure(new PreviewException(code) { UpstreamStatus = status }).ShouldBe(counts);
    }
}
