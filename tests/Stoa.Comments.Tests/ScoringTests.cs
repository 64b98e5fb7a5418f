using Stoa.Comments.Core;

namespace Stoa.Comments.Tests;

/// <summary>The sort keys' formulas against values worked out by hand (the ones SortTests' table relies on).</summary>
public sealed class ScoringTests
{
    [Theory]
    [InlineData(0, 0, 0.0)]
    [InlineData(2, 0, 0.5491)]
    [InlineData(5, 5, 0.3122)]
    [InlineData(4, 1, 0.5135)]
    [InlineData(1, 3, 0.0781)]
    [InlineData(1, 0, 0.3784)]
    public void Wilson_lower_bound_at_80_percent(long up, long down, double expected) =>
        Scoring.Wilson(up, down).ShouldBe(expected, 0.0001);

    [Theory]
    [InlineData(0, 0, 0.0)]
    [InlineData(10, 0, 0.0)]
    [InlineData(0, 10, 0.0)]
    [InlineData(5, 5, 10.0)]
    [InlineData(4, 1, 1.4953)]
    [InlineData(1, 3, 1.5874)]
    public void Controversy_is_reddits(long up, long down, double expected) =>
        Scoring.Controversy(up, down).ShouldBe(expected, 0.0001);

    [Fact]
    public void Hot_is_log_score_plus_time_in_12_5_hour_units()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(Scoring.HotEpochSeconds + 45_000);
        Scoring.Hot(0, 0, at).ShouldBe(1.0);
        Scoring.Hot(10, 0, at).ShouldBe(2.0);
        Scoring.Hot(1, 11, at).ShouldBe(0.0);
        Scoring.Hot(100, 0, at.AddSeconds(-45_000)).ShouldBe(2.0);
    }

    [Theory]
    [InlineData(0, 1, 1, 0)]
    [InlineData(1, -1, -1, 1)]
    [InlineData(-1, 0, 0, -1)]
    [InlineData(1, 1, 0, 0)]
    [InlineData(0, -1, 0, 1)]
    public void Vote_changes_move_the_counters(int previous, int next, long up, long down) =>
        CommentRules.VoteDelta(previous, next).ShouldBe((up, down));
}
