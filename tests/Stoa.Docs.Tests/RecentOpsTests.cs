using Stoa.Docs.Core;
using Stoa.Ot;

namespace Stoa.Docs.Tests;

/// <summary>A document's window of recent ops: bounded by bytes, always consecutive, asked for what it holds only.</summary>
public sealed class RecentOpsTests
{
    private static CommittedOp Op(long version, int length = 1) => new(version, TextOp.Insert(0, new string('x', length)), "c", version, "u");

    [Fact]
    public void The_window_keeps_the_newest_ops_within_its_bytes_and_answers_only_what_it_holds()
    {
        var recent = new RecentOps(maxBytes: 100_000);
        for (var v = 1; v <= 100; v++)
        {
            recent.Add(Op(v, 5_000));
        }

        recent.Bytes.ShouldBeLessThanOrEqualTo(100_000);
        recent.Count.ShouldBeInRange(5, 10);
        recent.After(99, 100)!.Select(o => o.Version).ShouldBe([100L]);
        recent.After(100 - recent.Count, 100)!.Count.ShouldBe(recent.Count);
        recent.After(10, 100).ShouldBeNull("those ops left the window");
        recent.After(100, 100).ShouldBeEmpty();
        recent.After(99, 101).ShouldBeNull("the window does not reach the head asked for");
    }

    [Fact]
    public void One_op_larger_than_the_window_is_still_kept_and_a_gap_starts_a_new_window()
    {
        var recent = new RecentOps(maxBytes: 1_000);
        recent.Add(Op(1));
        recent.Add(Op(2, 10_000));
        recent.Count.ShouldBe(1);
        recent.After(1, 2)!.Single().Version.ShouldBe(2);

        recent.Add(Op(7));
        recent.After(6, 7)!.Single().Version.ShouldBe(7);
        recent.After(1, 7).ShouldBeNull();
    }
}
