using Stoa.Docs.Api;

namespace Stoa.Docs.Tests;

/// <summary>A socket's message budget: a burst, then a steady rate, and one notice a second past it.</summary>
public sealed class MessageBudgetTests
{
    [Fact]
    public void A_burst_then_the_rate_and_one_warning_per_second()
    {
        var clock = new ManualClock();
        var budget = new MessageBudget(burst: 5, perSecond: 2, clock);
        Enumerable.Range(0, 5).Select(_ => budget.TryTake()).ShouldAllBe(taken => taken);
        budget.TryTake().ShouldBeFalse();
        budget.RetryAfter.ShouldBe(TimeSpan.FromSeconds(0.5));
        budget.ShouldWarn().ShouldBeTrue();
        budget.ShouldWarn().ShouldBeFalse();

        clock.Advance(TimeSpan.FromSeconds(0.5));
        budget.TryTake().ShouldBeTrue();
        budget.TryTake().ShouldBeFalse();
        budget.ShouldWarn().ShouldBeFalse("warned less than a second ago");

        clock.Advance(TimeSpan.FromSeconds(10));
        budget.ShouldWarn().ShouldBeTrue();
        Enumerable.Range(0, 6).Count(_ => budget.TryTake()).ShouldBe(5, "the bucket holds its burst, no more");
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;

        public override long GetTimestamp() => _ticks;
    }
}
