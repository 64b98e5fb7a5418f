namespace Stoa.Comments.Core;

/// <summary>
/// The derived sort keys, recomputed whenever a vote changes and stored as columns so that listings are index scans.
/// </summary>
internal static class Scoring
{
    /// <summary>z for an 80% confidence interval (Reddit's "best"; Evan Miller, "How not to sort by average rating").</summary>
    public const double WilsonZ = 1.281551565545;

    /// <summary>Reddit's epoch for hot (2005-12-08T07:46:43Z) and its 12.5-hour time unit.</summary>
    public const long HotEpochSeconds = 1134028003;
    public const double HotSecondsPerUnit = 45000;

    /// <summary>Lower bound of the Wilson score interval of the upvote fraction; 0 with no votes.</summary>
    public static double Wilson(long upvotes, long downvotes)
    {
        var n = upvotes + downvotes;
        if (n <= 0)
        {
            return 0;
        }

        const double z2 = WilsonZ * WilsonZ;
        var phat = (double)upvotes / n;
        return (phat + (z2 / (2 * n)) - (WilsonZ * Math.Sqrt(((phat * (1 - phat)) + (z2 / (4 * n))) / n))) / (1 + (z2 / n));
    }

    /// <summary>
    /// Reddit's hot: order of magnitude of the score, signed, plus the posting time in 12.5-hour units. The time term
    /// makes a comment one day newer worth about 100× the votes, without recomputing anything as time passes.
    /// </summary>
    public static double Hot(long upvotes, long downvotes, DateTimeOffset createdAt)
    {
        var score = upvotes - downvotes;
        var order = Math.Log10(Math.Max(Math.Abs(score), 1));
        var sign = Math.Sign(score);
        var seconds = createdAt.ToUnixTimeSeconds() - HotEpochSeconds;
        return Math.Round((sign * order) + (seconds / HotSecondsPerUnit), 7);
    }

    /// <summary>Reddit's controversy: (ups + downs) ^ (minority / majority); 0 unless both kinds of vote exist.</summary>
    public static double Controversy(long upvotes, long downvotes)
    {
        if (upvotes <= 0 || downvotes <= 0)
        {
            return 0;
        }

        var magnitude = upvotes + downvotes;
        var balance = upvotes > downvotes ? (double)downvotes / upvotes : (double)upvotes / downvotes;
        return Math.Pow(magnitude, balance);
    }
}
