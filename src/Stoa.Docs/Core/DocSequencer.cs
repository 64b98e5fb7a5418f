using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Stoa.Docs.Core;

/// <summary>
/// The one owner of a document's state on this node: it orders the document's submits and commits them.
/// Concurrent submits queue up; whoever holds the gate rebases every queued op in turn (<see cref="Rebase"/>) and
/// inserts them in one transaction (group commit), so a busy document costs one store round trip per batch. The load
/// balancer sends all of a document's traffic to one node, so this is normally its only sequencer; when routing
/// breaks, the store's (document, version) key still decides: the loser of a race catches up and rebases again.
/// </summary>
internal sealed partial class DocSequencer(Guid appId, Guid docId, SequencerContext context)
{
    private const int MaxCommitAttempts = 64;
    private const int MaxBatch = 256;
    private static readonly TimeSpan s_batchTimeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<PendingSubmit> _pending = new();
    private readonly DocText _doc = new(context.Options.RecentOpsBytes);
    private long _accountedBytes;

    public Guid AppId => appId;

    public Guid DocId => docId;

    public long LastUsed;

    /// <summary>Whether a submit or read is using the sequencer (it is then not evicted).</summary>
    public bool IsBusy => _gate.CurrentCount == 0 || !_pending.IsEmpty;

    /// <summary>Bytes last reported to the node's total.</summary>
    public long AccountedBytes => Volatile.Read(ref _accountedBytes);

    /// <summary>The current text and version, caught up with the store.</summary>
    public async Task<DocSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await CatchUpAsync(cancellationToken);
            return new DocSnapshot(_doc.Version, _doc.Text);
        }
        finally
        {
            Account();
            _gate.Release();
        }
    }

    public async Task<SubmitResult> SubmitAsync(OpSubmission submission, string? userId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var pending = new PendingSubmit(submission, userId);
        _pending.Enqueue(pending);
        while (!pending.IsDone)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (!pending.IsDone)
                {
                    await CommitBatchAsync();
                }
            }
            finally
            {
                Account();
                _gate.Release();
            }
        }

        var result = await pending.Task;
        context.Metrics.Submitted(Stopwatch.GetElapsedTime(started));
        return result;
    }

    // Under the gate.
    private async Task CommitBatchAsync()
    {
        var batch = new List<PendingSubmit>();
        while (batch.Count < MaxBatch && _pending.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        using var deadline = new CancellationTokenSource(s_batchTimeout);
        using var span = context.Metrics.StartBatch(batch);
        try
        {
            await CommitAsync(batch, span, deadline.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            foreach (var submit in batch)
            {
                submit.Fail(e);
            }
        }
    }

    private async Task CommitAsync(List<PendingSubmit> batch, Activity? span, CancellationToken cancellationToken)
    {
        if (!_doc.Loaded)
        {
            await LoadAsync(cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            if (batch.Any(p => !p.IsDone && p.Submission.BaseVersion > _doc.Version))
            {
                // Another node may have committed what the client saw; only the store can say it is ahead.
                await CatchUpAsync(cancellationToken);
            }

            var (rows, text, length, accepted, laterResends) = await RebaseAllAsync(batch, cancellationToken);
            if (rows.Count == 0)
            {
                return;
            }

            var (outcome, bytes) = await context.Store.TryInsertOpsAsync(appId, docId, rows, cancellationToken);
            span?.SetTag("stoa.docs.commit.attempts", attempt);
            if (outcome == InsertOutcome.Inserted)
            {
                span?.SetTag("stoa.docs.committed", rows.Count);
                span?.SetTag("stoa.docs.version", _doc.Version + rows.Count);
                var before = _doc.Version;
                _doc.Append(rows, text, length);
                context.Quota.Added(appId, bytes);
                context.Metrics.Committed(rows.Count);
                await context.Feed.AnnounceAsync(appId, docId, rows);
                await SnapshotIfDueAsync(before);
                foreach (var (submit, row) in accepted)
                {
                    submit.Complete(new SubmitResult(row.Version, Duplicate: false));
                }

                foreach (var (submit, row) in laterResends)
                {
                    context.Metrics.Duplicate();
                    submit.Complete(new SubmitResult(row.Version, Duplicate: true));
                }

                return;
            }

            if (outcome == InsertOutcome.DuplicateSeq)
            {
                // Committed before, at a version this node has not seen or under an older base version.
                foreach (var (submit, _) in accepted)
                {
                    if (await context.Store.FindVersionAsync(appId, docId, submit.UserId, submit.Submission.ClientId, submit.Submission.Seq,
                        cancellationToken) is { } version)
                    {
                        context.Metrics.Duplicate();
                        submit.Complete(new SubmitResult(version, Duplicate: true));
                    }
                }
            }
            else
            {
                context.Metrics.Conflict();
            }

            if (attempt >= MaxCommitAttempts)
            {
                throw DocErrors.Busy();
            }

            await CatchUpAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Rebases each queued op that is not done onto the text as the ops before it leave it. A refused op fails alone;
    /// a resend of an op committed before completes at once, and a resend of one earlier in this batch once it commits.
    /// </summary>
    private async Task<Batch> RebaseAllAsync(List<PendingSubmit> queued, CancellationToken cancellationToken)
    {
        var batch = new Batch([], _doc.Text, _doc.Length, [], []);
        foreach (var submit in queued)
        {
            if (submit.IsDone)
            {
                continue;
            }

            try
            {
                var head = _doc.Version + batch.Rows.Count;
                var baseVersion = submit.Submission.BaseVersion;
                if (baseVersion > _doc.Version)
                {
                    throw DocErrors.Ahead(baseVersion, head);
                }

                if (head - baseVersion > context.Options.MaxVersionLag)
                {
                    throw DocErrors.TooOld(baseVersion, head, context.Options.MaxVersionLag);
                }

                var (resent, transformed) = await TransformPastCommittedAsync(submit, cancellationToken);
                if (resent is null)
                {
                    (resent, transformed) = Rebase.Past(submit, batch.Rows, transformed);
                }

                if (resent is not null)
                {
                    if (resent.Version <= _doc.Version)
                    {
                        context.Metrics.Duplicate();
                        submit.Complete(new SubmitResult(resent.Version, Duplicate: true));
                    }
                    else
                    {
                        batch.LaterResends.Add((submit, resent));
                    }

                    continue;
                }

                var (next, text, length) = Rebase.Fit(submit, transformed, head, batch.Text, batch.Length, context.Options);
                batch.Rows.Add(next);
                batch.Accepted.Add((submit, next));
                batch = batch with { Text = text, Length = length };
            }
            catch (Foundation.Errors.ApiException e)
            {
                submit.Fail(e);
            }
        }

        return batch;
    }

    private async Task SnapshotIfDueAsync(long before)
    {
        var every = context.Options.SnapshotEvery;
        if (before / every == _doc.Version / every)
        {
            return;
        }

        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var snapshot = new DocSnapshot(_doc.Version, _doc.Text);
            var bytes = await context.Store.SaveSnapshotAsync(appId, docId, snapshot, _doc.Version - context.Options.MaxVersionLag, deadline.Token);
            context.Quota.Added(appId, bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The op log is the truth: a missing snapshot only makes the next cold read replay more ops.
            LogSnapshotFailure(context.Logger, docId, e);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await context.Store.GetSnapshotAsync(appId, docId, cancellationToken) ?? throw DocErrors.NotFound(docId);
        _doc.Load(snapshot);
        await ApplyFromStoreAsync(cancellationToken);
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        if (!_doc.Loaded)
        {
            await LoadAsync(cancellationToken);
            return;
        }

        await ApplyFromStoreAsync(cancellationToken);
    }

    private async Task ApplyFromStoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var ops = await context.Store.GetOpsAsync(appId, docId, _doc.Version, MaxBatch, context.Options.ReadPageBytes, cancellationToken);
            if (ops.Count > 0 && ops[0].Version != _doc.Version + 1)
            {
                // Compacted past this copy's version (it was idle while others edited): start again from the snapshot.
                await LoadAsync(cancellationToken);
                return;
            }

            foreach (var op in ops)
            {
                _doc.Apply(op);
            }

            if (ops.Count == 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The submission transformed past the ops committed after its base version: from the recent window when it holds
    /// them, otherwise from the store one page at a time.
    /// </summary>
    private async Task<(CommittedOp? Resent, Ot.TextOp Op)> TransformPastCommittedAsync(PendingSubmit submit, CancellationToken cancellationToken)
    {
        var after = submit.Submission.BaseVersion;
        if (_doc.Recent.After(after, _doc.Version) is { } recent)
        {
            return Rebase.Past(submit, recent, submit.Submission.Op);
        }

        var op = submit.Submission.Op;
        while (after < _doc.Version)
        {
            var page = await context.Store.GetOpsAsync(appId, docId, after, (int)Math.Min(MaxBatch, _doc.Version - after),
                context.Options.ReadPageBytes, cancellationToken);
            if (page.Count == 0 || page[0].Version != after + 1)
            {
                throw DocErrors.Compacted(after);
            }

            var (resent, transformed) = Rebase.Past(submit, page.Where(o => o.Version <= _doc.Version), op);
            if (resent is not null)
            {
                return (resent, transformed);
            }

            op = transformed;
            after = page[^1].Version;
        }

        return (null, op);
    }

    private void Account()
    {
        var now = _doc.ApproximateBytes;
        var delta = now - _accountedBytes;
        Volatile.Write(ref _accountedBytes, now);
        context.Resized(delta);
    }

    private sealed record Batch(List<CommittedOp> Rows, string Text, int Length, List<(PendingSubmit, CommittedOp)> Accepted,
        List<(PendingSubmit, CommittedOp)> LaterResends);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving a snapshot of document {DocId} failed; the next one is due in a while")]
    private static partial void LogSnapshotFailure(ILogger logger, Guid docId, Exception e);
}
