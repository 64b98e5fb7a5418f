using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>An op waiting in its document's queue to be committed by whichever submit holds the gate.</summary>
internal sealed class PendingSubmit(long baseVersion, TextOp op, string clientId, long seq, string? userId)
{
    private readonly TaskCompletionSource<SubmitResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long BaseVersion { get; } = baseVersion;

    public TextOp Op { get; } = op;

    public string ClientId { get; } = clientId;

    public long Seq { get; } = seq;

    public string? UserId { get; } = userId;

    public Task<SubmitResult> Task => _result.Task;

    public bool IsDone => _result.Task.IsCompleted;

    public void Complete(SubmitResult result) => _result.TrySetResult(result);

    public void Fail(Exception exception) => _result.TrySetException(exception);
}
