using Stoa.Comments.Core;
using Stoa.Foundation.Errors;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// The group commit of votes and likes, on its own: what queues while a batch commits goes into the next batch, in
/// order, and each caller gets its own change's outcome. The batches' store side runs on real databases in
/// <see cref="CounterBatchTests"/> and <see cref="ConcurrencyTests"/>.
/// </summary>
public sealed class CounterQueueTests
{
    private static readonly Guid s_app = Guid.NewGuid();

    [Fact]
    public async Task Changes_queued_while_a_batch_commits_go_together_into_the_next_in_their_order()
    {
        var batches = new List<IReadOnlyList<CounterChange>>();
        var firstEntered = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var queue = new CounterQueue(async (_, id, changes) =>
        {
            lock (batches)
            {
                batches.Add(changes);
            }

            if (batches.Count == 1)
            {
                firstEntered.SetResult();
                await releaseFirst.Task;
            }

            return [.. changes.Select(c => CounterOutcome.Applied(Counts(id, c)))];
        });

        var comment = Guid.NewGuid();
        var first = queue.SubmitAsync(s_app, comment, CounterChange.Vote("u0", 1), Ct);
        await firstEntered.Task.WaitAsync(Ct);
        var queued = Enumerable.Range(1, 50).Select(i => queue.SubmitAsync(s_app, comment, CounterChange.Vote($"u{i}", i % 2 == 0 ? 1 : -1), Ct)).ToList();
        queued.ShouldAllBe(t => !t.IsCompleted, "answered only after their batch commits");
        releaseFirst.SetResult();

        (await first).MyVote.ShouldBe(1);
        var answers = await Task.WhenAll(queued);
        answers.Select(a => a.MyVote).ShouldBe(Enumerable.Range(1, 50).Select(i => i % 2 == 0 ? 1 : -1), "each caller gets its own outcome");
        answers.Select(a => a.Upvotes).ShouldBe(Enumerable.Range(1, 50).Select(i => (long)i), "each outcome is the one at its place");
        batches.Count.ShouldBe(2);
        batches[1].Select(c => c.UserId).ShouldBe(Enumerable.Range(1, 50).Select(i => $"u{i}"));
    }

    [Fact]
    public async Task A_refused_change_fails_its_caller_alone_and_a_failed_batch_fails_every_caller_in_it()
    {
        var fail = true;
        var queue = new CounterQueue((_, id, changes) =>
        {
            if (changes.Any(c => c.UserId == "breaks-the-batch") && fail)
            {
                fail = false;
                throw new InvalidOperationException("the store is gone");
            }

            IReadOnlyList<CounterOutcome> outcomes =
            [
                .. changes.Select(c => c.UserId == "author"
                    ? CounterOutcome.Refused(CommentErrors.OwnComment())
                    : CounterOutcome.Applied(Counts(id, c))),
            ];
            return Task.FromResult(outcomes);
        });

        var comment = Guid.NewGuid();
        var refused = await Should.ThrowAsync<ApiException>(queue.SubmitAsync(s_app, comment, CounterChange.Vote("author", 1), Ct));
        refused.Code.ShouldBe(CommentErrors.CannotVoteOwnComment);
        (await queue.SubmitAsync(s_app, comment, CounterChange.Like("reader", true), Ct)).Liked.ShouldBeTrue();

        var failed = await Should.ThrowAsync<InvalidOperationException>(queue.SubmitAsync(s_app, comment, CounterChange.Vote("breaks-the-batch", 1), Ct));
        failed.Message.ShouldBe("the store is gone");
        (await queue.SubmitAsync(s_app, comment, CounterChange.Vote("breaks-the-batch", 1), Ct)).MyVote.ShouldBe(1, "the queue goes on after a failed batch");
    }

    [Fact]
    public async Task A_caller_that_gives_up_before_its_batch_is_taken_is_dropped()
    {
        var applied = new List<string>();
        var firstEntered = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var queue = new CounterQueue(async (_, id, changes) =>
        {
            lock (applied)
            {
                applied.AddRange(changes.Select(c => c.UserId));
            }

            if (changes[0].UserId == "first")
            {
                firstEntered.SetResult();
                await releaseFirst.Task;
            }

            return [.. changes.Select(c => CounterOutcome.Applied(Counts(id, c)))];
        });

        var comment = Guid.NewGuid();
        var first = queue.SubmitAsync(s_app, comment, CounterChange.Vote("first", 1), Ct);
        await firstEntered.Task.WaitAsync(Ct);
        using var giveUp = new CancellationTokenSource();
        var abandoned = queue.SubmitAsync(s_app, comment, CounterChange.Vote("impatient", 1), giveUp.Token);
        var kept = queue.SubmitAsync(s_app, comment, CounterChange.Vote("patient", 1), Ct);
        await giveUp.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(abandoned);
        releaseFirst.SetResult();

        await first;
        await kept;
        applied.ShouldBe(["first", "patient"]);
    }

    // Counts as if every change so far were an upvote: enough to tell the outcomes apart by their place.
    private static CommentCounts Counts(Guid id, CounterChange change)
    {
        var place = change.UserId.StartsWith('u') && int.TryParse(change.UserId[1..], out var n) ? n : 0;
        return new CommentCounts(id, "thread", place, 0, 0, 0, change.Kind == CounterKind.Vote ? change.Value : 0,
            change.Kind == CounterKind.Like && change.Value == 1);
    }
}
