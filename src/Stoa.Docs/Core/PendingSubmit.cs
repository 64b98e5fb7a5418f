using System.Diagnostics;

namespace Stoa.Docs.Core;

/// <summary>An op waiting in its document's queue to be committed by whichever submit holds the gate.</summary>
internal sealed class PendingSubmit(OpSubmission submission, string? userId)
{
    private readonly TaskCompletionSource<SubmitResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OpSubmission Submission { get; } = submission;

    public string? UserId { get; } = userId;

    /// <summary>The submitter's span, which the batch that commits this op links to.</summary>
    public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

    public Task<SubmitResult> Task => _result.Task;

    public bool IsDone => _result.Task.IsCompleted;

    /// <summary>Whether <paramref name="op"/> is this submission, committed before (same user, client and seq).</summary>
    public bool IsResendOf(CommittedOp op) =>
        op.Seq == Submission.Seq && string.Equals(op.ClientId, Submission.ClientId, StringComparison.Ordinal)
        && string.Equals(op.UserId, UserId, StringComparison.Ordinal);

    public void Complete(SubmitResult result) => _result.TrySetResult(result);

    public void Fail(Exception exception) => _result.TrySetException(exception);
}
