namespace Stoa.Comments.Core;

/// <summary>
/// Group commit of votes and likes, per comment and node. A change waits in its comment's queue; one drain per comment
/// at a time takes everything queued (up to <see cref="MaxBatch"/>) and applies it as one batch, in one transaction, so
/// that 200 voters on one hot comment cost this node one transaction per batch instead of 200 transactions queued one
/// behind the other on the comment's row. While a batch commits the next one fills up, so batches grow with the load
/// and a quiet comment still commits each change at once, alone.
/// <para>Each change is answered after its batch committed, with the outcome <c>apply</c> gave it (the counts right
/// after it in the batch's order); a batch that fails fails every change in it with the same exception. A change whose
/// caller gave up before its batch was taken is dropped; one already in a batch may still be committed, as a request
/// cancelled during its transaction may be.</para>
/// </summary>
/// <param name="apply">Applies one batch of one comment's changes, in their order, and gives one outcome per change.</param>
internal sealed class CounterQueue(Func<Guid, Guid, IReadOnlyList<CounterChange>, Task<IReadOnlyList<CounterOutcome>>> apply)
{
    /// <summary>The most changes one transaction applies: a bound on the batch's statements' parameter arrays and on how
    /// long the comment's row stays locked.</summary>
    public const int MaxBatch = 256;

    // Queues exist only while they hold changes or a drain runs, so idle comments cost nothing. One lock for all of
    // them: it is held for a few list operations per change.
    private readonly Dictionary<(Guid App, Guid Comment), CommentQueue> _queues = [];

    public async Task<CommentCounts> SubmitAsync(Guid appId, Guid commentId, CounterChange change, CancellationToken cancellationToken)
    {
        var key = (appId, commentId);
        var pending = new PendingChange(change);
        CommentQueue queue;
        bool startDrain;
        lock (_queues)
        {
            if (!_queues.TryGetValue(key, out queue!))
            {
                queue = new CommentQueue();
                _queues[key] = queue;
            }

            queue.Changes.Enqueue(pending);
            startDrain = !queue.Draining;
            queue.Draining = true;
        }

        if (startDrain)
        {
            // The drain serves every caller of this comment, not the one that happened to start it: it runs on the
            // thread pool, outside that request's execution context (its trace, its cancellation).
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => DrainAsync(key, queue), CancellationToken.None);
            }
        }

        try
        {
            return await pending.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not taken yet: the drain skips it. Already taken: it commits with its batch, unanswered.
            pending.TrySetCanceled(cancellationToken);
            throw;
        }
    }

    private async Task DrainAsync((Guid App, Guid Comment) key, CommentQueue queue)
    {
        while (true)
        {
            var batch = new List<PendingChange>();
            lock (_queues)
            {
                while (batch.Count < MaxBatch && queue.Changes.TryDequeue(out var next))
                {
                    if (!next.Task.IsCompleted)
                    {
                        batch.Add(next);
                    }
                }

                if (batch.Count == 0)
                {
                    queue.Draining = false;
                    _queues.Remove(key);
                    return;
                }
            }

            try
            {
                var outcomes = await apply(key.App, key.Comment, [.. batch.Select(p => p.Change)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Complete(outcomes[i]);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                foreach (var pending in batch)
                {
                    pending.TrySetException(ex);
                }
            }
        }
    }

    private sealed class CommentQueue
    {
        public Queue<PendingChange> Changes { get; } = new();

        public bool Draining { get; set; }
    }

    /// <summary>Completed from the drain: continuations run elsewhere, so that answering 200 callers does not hold up the next batch.</summary>
    private sealed class PendingChange(CounterChange change) : TaskCompletionSource<CommentCounts>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public CounterChange Change { get; } = change;

        public void Complete(CounterOutcome outcome)
        {
            if (outcome.Refusal is { } refusal)
            {
                TrySetException(refusal);
            }
            else
            {
                TrySetResult(outcome.Counts!);
            }
        }
    }
}
